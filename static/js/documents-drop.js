// Drag-and-drop over the document upload's plain file input: files dropped on the zone are put into
// the input, which the form then sends as usual. Progressive enhancement only: without it the input works.
for (const zone of document.querySelectorAll("[data-drop-zone-for]")) {
  const input = document.getElementById(zone.dataset.dropZoneFor);
  if (!input) continue;
  zone.classList.add("app-drop-zone--enabled");
  const hint = document.createElement("p");
  hint.className = "govuk-body-s app-drop-zone__status";
  hint.setAttribute("aria-live", "polite");
  zone.append(hint);
  const show = () => {
    const names = Array.from(input.files || []).map((f) => f.name);
    hint.textContent = names.length ? `Chosen: ${names.join(", ")}` : "";
  };
  for (const type of ["dragenter", "dragover"]) {
    zone.addEventListener(type, (event) => {
      event.preventDefault();
      zone.classList.add("app-drop-zone--over");
    });
  }
  zone.addEventListener("dragleave", () => zone.classList.remove("app-drop-zone--over"));
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("app-drop-zone--over");
    if (event.dataTransfer && event.dataTransfer.files.length) {
      input.files = event.dataTransfer.files;
      show();
    }
  });
  input.addEventListener("change", show);
}
