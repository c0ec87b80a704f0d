// What a host page adds to size pymemsim's iframe embed to its content (see ../embed.html).
addEventListener("message", (e) => {
  if (e.data?.type !== "pymemsim:height") return;
  for (const f of document.querySelectorAll("iframe")) if (f.contentWindow === e.source) f.height = e.data.height;
});
