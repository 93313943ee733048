/* The admin's calendar (DateTimeShortcuts) puts a time-zone note under every date field when
   the browser's time zone differs from the site's. A date has no time of day, so the note
   belongs only to fields with a time: leave it out for date-only fields. */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
    const shortcuts = window.DateTimeShortcuts;
    if (!shortcuts || !shortcuts.addTimezoneWarning) {
        return;
    }
    const addWarning = shortcuts.addTimezoneWarning;
    shortcuts.addTimezoneWarning = function (input) {
        if (input.classList.contains("vDateField") && !input.closest("p.datetime")) {
            return;
        }
        addWarning.call(shortcuts, input);
    };
});
