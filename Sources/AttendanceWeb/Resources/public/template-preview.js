// Live preview of a letter's wording: after a pause in typing, the form is posted to the preview address
// into the frame (as the Preview button does without JavaScript), and the server renders it with sample figures.
(function () {
  var form = document.getElementById("template-form");
  var button = document.getElementById("preview-button");
  if (!form || !button) return;
  var timer = null;
  function preview() {
    if (form.requestSubmit) form.requestSubmit(button); else button.click();
  }
  document.getElementById("body").addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(preview, 500);
  });
  preview();
})();
