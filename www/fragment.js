// The program in a URL fragment: base64url of its UTF-8, shared by the simulator page (which reads and writes
// it), the tutorial's "open in the simulator" links and the iframe page.
export function encodeCode(text) {
  let bin = "";
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** The program back; throws on a damaged fragment. */
export function decodeCode(s) {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}
