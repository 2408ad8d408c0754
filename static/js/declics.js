// DéClics: progressive enhancements only. Every action works without this file.
// Loaded in <head> without "defer": the class swap below happens before the first paint,
// so the collapsed mobile menu does not flash open; the rest waits for the DOM.
document.documentElement.classList.remove("no-js");
document.documentElement.classList.add("js");

document.addEventListener("DOMContentLoaded", () => {
  // The language switch has its own "Changer" button: no submit on change (WCAG 3.2.2 —
  // arrowing through the options must not reload the page).

  // A form that comes back with errors: move focus to its error summary, so a screen reader
  // reads it and a keyboard user starts from it (the summary links lead to each field).
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
