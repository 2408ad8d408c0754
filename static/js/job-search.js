// Mentor wishes: the job search filters the families as you type.
// Progressive enhancement: without this file the search form is sent and the page comes back with
// the matching families open (mentoring/forms.py folds the words the same way). No inline script (CSP).
(() => {
  "use strict";

  const fold = (text) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();

  function enhance(form) {
    const input = form.querySelector("input[type=search]");
    const status = document.getElementById("job-search-status");
    const none = document.getElementById("job-search-none");
    const families = Array.from(document.querySelectorAll("[data-job-family]"));
    const hint = status.dataset.hint;

    function filter() {
      const words = fold(input.value).split(/\s+/).filter(Boolean);
      let found = 0;
      families.forEach((family) => {
        let inFamily = 0;
        family.querySelectorAll("[data-job]").forEach((job) => {
          const matches = words.every((word) => job.dataset.job.includes(word));
          job.hidden = words.length > 0 && !matches;
          inFamily += matches ? 1 : 0;
        });
        family.open = words.length > 0 && inFamily > 0;
        family.hidden = words.length > 0 && inFamily === 0;
        found += inFamily;
      });
      none.hidden = words.length === 0 || found > 0;
      status.textContent = words.length === 0 ? hint : `${status.dataset.found} ${found}`;
    }

    function count(family) {
      const badge = family.querySelector(".job-family-selected");
      const checked = family.querySelectorAll("input:checked").length;
      badge.hidden = checked === 0;
      badge.textContent = `${checked} ${checked > 1 ? badge.dataset.many : badge.dataset.one}`;
    }

    form.addEventListener("submit", (event) => {
      event.preventDefault();
      filter();
    });
    input.addEventListener("input", filter);
    families.forEach((family) => family.addEventListener("change", () => count(family)));
    if (input.value) filter();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("job-search-form");
    if (form) enhance(form);
  });
})();
