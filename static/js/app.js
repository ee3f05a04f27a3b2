// Behaviour wiring only; the pages work without it where they can.
document.addEventListener("htmx:responseError", function (event) {
  const status = event.detail.xhr.status;
  const target = document.getElementById("htmx-error");
  if (target) {
    target.textContent = target.dataset["message" + status] || target.dataset.message || ("Error " + status);
    target.hidden = false;
  }
});
