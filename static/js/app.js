// Behaviour wiring only; the pages work without it where they can.
document.addEventListener("htmx:responseError", function (event) {
  const status = event.detail.xhr.status;
  const target = document.getElementById("htmx-error");
  if (target) {
    target.textContent = target.dataset["message" + status] || target.dataset.message || ("Error " + status);
    target.hidden = false;
  }
});

// A file input marked data-autosubmit sends its form as soon as a file is chosen (a photo
// taken with the phone's camera uploads without another tap); the submit button stays as
// the fallback without JavaScript.
document.addEventListener("change", function (event) {
  const input = event.target;
  if (input.matches && input.matches("input[type=file][data-autosubmit]") && input.files.length) {
    const form = input.form;
    if (form && !form.dataset.submitting) {
      form.dataset.submitting = "1";
      form.requestSubmit();
    }
  }
});
