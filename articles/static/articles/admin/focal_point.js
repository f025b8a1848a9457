// The media library's focal point picker: a click on the picture sets the
// focal point fields (fractions of the width and height). The fields work on
// their own; this only makes choosing the point easy. Served as a static file:
// the Content-Security-Policy allows no inline script.
(function () {
  "use strict";

  function clamp(value) {
    return Math.min(1, Math.max(0, value));
  }

  function place(mark, x, y) {
    mark.style.left = (x * 100).toFixed(1) + "%";
    mark.style.top = (y * 100).toFixed(1) + "%";
  }

  function setUp(picker) {
    var image = picker.querySelector(".focal-picker__image");
    var mark = picker.querySelector(".focal-picker__mark");
    var fieldX = document.getElementById("id_focal_x");
    var fieldY = document.getElementById("id_focal_y");
    if (!image || !mark || !fieldX || !fieldY) {
      return;
    }
    place(mark, parseFloat(fieldX.value) || 0.5, parseFloat(fieldY.value) || 0.5);
    image.addEventListener("click", function (event) {
      var box = image.getBoundingClientRect();
      var x = clamp((event.clientX - box.left) / box.width);
      var y = clamp((event.clientY - box.top) / box.height);
      fieldX.value = x.toFixed(3);
      fieldY.value = y.toFixed(3);
      place(mark, x, y);
    });
    [fieldX, fieldY].forEach(function (field) {
      field.addEventListener("input", function () {
        place(mark, clamp(parseFloat(fieldX.value) || 0), clamp(parseFloat(fieldY.value) || 0));
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".focal-picker").forEach(setUp);
  });
})();
