// Serves www/ on 127.0.0.1 and prints the address. PORT=8000 by default; the next free port if taken.
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "./static-server.mjs";

const www = join(dirname(fileURLToPath(import.meta.url)), "..", "www");
let port = Number(process.env.PORT ?? 8000);
for (;;) {
  try {
    const { url } = await serve(www, port);
    console.log(`pymemsim page: ${url}  (Ctrl+C to stop)`);
    break;
  } catch (e) {
    if (e.code !== "EADDRINUSE" || port > 8100) throw e;
    port += 1;
  }
}
