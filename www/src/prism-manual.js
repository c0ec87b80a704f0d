// Prism highlights every `code.language-*` element on DOMContentLoaded unless told it is driven by hand; this
// module runs before prism-core (imports evaluate in order) so the editor is the only thing it touches.
globalThis.Prism = { manual: true, disableWorkerMessageHandler: true };
