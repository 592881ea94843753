// The "Produce a letter" form shows only the details the chosen letter uses (a meeting's date, time and place; a
// holiday decision's dates and reason), and none for a letter that needs none. Without the script every field
// shows and the server says which a letter needs.
(function () {
  "use strict";
  var kind = document.getElementById("letter-kind");
  var details = document.getElementById("letter-details");
  if (!kind || !details) return;
  function show() {
    var option = kind.options[kind.selectedIndex];
    var needs = (option && option.getAttribute("data-needs") || "").split(" ").filter(Boolean);
    Array.prototype.forEach.call(details.querySelectorAll(".detail"), function (field) {
      field.hidden = needs.indexOf(field.getAttribute("data-field")) < 0;
    });
    details.hidden = needs.length === 0;
  }
  kind.addEventListener("change", show);
  show();
})();
