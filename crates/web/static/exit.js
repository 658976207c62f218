// Leave this site quickly: empty every form on the page, then replace this page in the browser's
// history with another site, so Back cannot bring the form or what was typed back. A page shown
// again from the browser's memory of earlier pages is emptied too. Without this script the exit
// is a plain link, and the forms still ask the browser not to remember their fields.
(function () {
  function empty() {
    document.querySelectorAll("form").forEach(function (f) {
      f.reset();
      f.querySelectorAll("textarea, input:not([type=hidden]):not([type=radio]):not([type=checkbox])")
        .forEach(function (el) { el.value = ""; });
    });
  }
  document.querySelectorAll("a.exit").forEach(function (a) {
    a.addEventListener("click", function (e) {
      e.preventDefault();
      empty();
      window.location.replace(a.href);
    });
  });
  window.addEventListener("pageshow", function (e) {
    if (e.persisted) { empty(); }
  });
})();
