// The case summary's Print button. Kept in a static file: the Content-Security-Policy allows no inline script.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () {
    window.print();
  });
});
