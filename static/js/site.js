/* Small enhancements of the public pages; everything works without them.
   - The filter form of a list folds under its summary on a phone and is open beside the
     results on a wider screen.
   - A table or chart wider than its box says that it scrolls sideways: a line above it and
     a faded edge on the side that has more.
   - On a phone the main sections scroll sideways in one row: the current one starts in view. */
(function () {
  "use strict";

  var wide = window.matchMedia("(min-width: 60rem)");

  function syncFilters() {
    document.querySelectorAll("details.filters-disclosure").forEach(function (details) {
      if (wide.matches) {
        details.open = true;
      } else if (!details.querySelector(".notice-error")) {
        details.open = false;
      }
    });
  }

  // A filter form sends only the fields that hold a value, so the address it makes is short
  // and reads as what was chosen.
  function trimSubmission(event) {
    var form = event.target;
    if (!form.classList || !form.classList.contains("filters")) {
      return;
    }
    form.querySelectorAll("input, select").forEach(function (field) {
      if (field.name && field.value === "" && field.type !== "checkbox") {
        field.disabled = true;
      }
    });
    // Enabled again for the page the browser may bring back from its history.
    window.setTimeout(function () {
      form.querySelectorAll(":disabled").forEach(function (field) { field.disabled = false; });
    }, 0);
  }

  function markScroll(box) {
    // A few pixels over (borders, rounding) is not worth a cue.
    var overflowing = box.scrollWidth > box.clientWidth + 8;
    box.classList.toggle("is-overflowing", overflowing);
    box.classList.toggle("is-scrolled", box.scrollLeft > 1);
    box.classList.toggle("at-end", box.scrollLeft + box.clientWidth >= box.scrollWidth - 1);
    if (box.previousElementSibling && box.previousElementSibling.classList.contains("scroll-hint")) {
      box.previousElementSibling.classList.toggle("is-shown", overflowing);
    }
  }

  function watchScroll() {
    document.querySelectorAll(".table-scroll, .chart-scroll").forEach(function (box) {
      var hint = document.createElement("p");
      hint.className = "scroll-hint";
      hint.setAttribute("aria-hidden", "true");
      hint.textContent = box.classList.contains("chart-scroll")
        ? "Scroll sideways to see the whole chart →"
        : "Scroll sideways to see every column →";
      box.parentNode.insertBefore(hint, box);
      box.addEventListener("scroll", function () { markScroll(box); }, { passive: true });
      markScroll(box);
    });
  }

  function markAll() {
    document.querySelectorAll(".table-scroll, .chart-scroll").forEach(markScroll);
  }

  function showCurrentSection() {
    var list = document.querySelector(".site-header .nav-list");
    var current = list && list.querySelector('a[aria-current="page"]');
    if (!current) {
      return;
    }
    var over = current.getBoundingClientRect().right - list.getBoundingClientRect().right;
    if (over > 0) {
      list.scrollLeft += over + 24;
    }
  }

  syncFilters();
  watchScroll();
  showCurrentSection();
  document.addEventListener("submit", trimSubmission);
  if (wide.addEventListener) {
    wide.addEventListener("change", syncFilters);
  }
  window.addEventListener("resize", markAll);
  // A closed <details> (the numbers under a chart) has boxes of no width until it opens.
  document.addEventListener("toggle", markAll, true);
})();
