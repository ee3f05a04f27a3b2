// Behaviour wiring only; the pages work without it where they can.
document.addEventListener("htmx:responseError", function (event) {
  const status = event.detail.xhr.status;
  const target = document.getElementById("htmx-error");
  if (target) {
    target.textContent = target.dataset["message" + status] || target.dataset.message || ("Error " + status);
    target.hidden = false;
  }
});

// A sign-in that expired meanwhile: show the sign-in page itself, not inside a fragment.
document.addEventListener("htmx:beforeSwap", function (event) {
  const url = event.detail.xhr.responseURL || "";
  if (url.indexOf("/accounts/login/") !== -1) {
    event.detail.shouldSwap = false;
    window.location.assign(url);
  }
});
