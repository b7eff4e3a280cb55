// fazhi staff pages: the small bits of behaviour plain HTML cannot do.
(function () {
  "use strict";
  // htmx sends the CSRF token from the cookie on every unsafe request.
  document.addEventListener("htmx:configRequest", function (e) {
    var m = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    if (m) { e.detail.headers["X-CSRFToken"] = decodeURIComponent(m[1]); }
  });
  // Mobile navigation drawer.
  document.addEventListener("click", function (e) {
    var t = e.target.closest("[data-nav-toggle]");
    var nav = document.getElementById("sidenav");
    if (!nav) { return; }
    if (t) {
      var open = nav.classList.toggle("open");
      t.setAttribute("aria-expanded", open ? "true" : "false");
    } else if (nav.classList.contains("open") && !e.target.closest("#sidenav")) {
      nav.classList.remove("open");
    }
    // Close an open user menu when clicking elsewhere.
    document.querySelectorAll("details.user-menu[open]").forEach(function (d) {
      if (!d.contains(e.target)) { d.removeAttribute("open"); }
    });
  });
  // Filter bars: choosing a value in a select applies it at once.
  document.addEventListener("change", function (e) {
    var el = e.target;
    if (el.tagName === "SELECT" && el.form && el.form.classList.contains("filter-bar")) {
      el.form.requestSubmit();
    }
  });
  // Ask before firing a transition that cannot be undone.
  document.addEventListener("submit", function (e) {
    var b = e.submitter;
    if (b && b.dataset.confirm && !window.confirm(b.dataset.confirm)) { e.preventDefault(); }
  });
})();
