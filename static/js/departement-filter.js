// Launch form: the départements list shows only those of the chosen région.
// Progressive enhancement: without this file the list is grouped by région (<optgroup>) and the
// server refuses a département of another région. No inline script (CSP): loaded as form media.
(() => {
  "use strict";

  function enhance(select) {
    const region = document.getElementById(select.dataset.regionField);
    if (!region) return;
    // Every group as the server sent it; the list is rebuilt from these on each change.
    const groups = Array.from(select.querySelectorAll("optgroup"));

    function show() {
      const chosen = region.value;
      const kept = groups.filter((group) => !chosen || group.dataset.region === chosen);
      groups.forEach((group) => {
        if (!kept.includes(group)) {
          // A département of another région is never sent with the form.
          group.querySelectorAll("option").forEach((option) => { option.selected = false; });
        }
      });
      select.replaceChildren(...kept);
    }

    region.addEventListener("change", show);
    show();
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll("select[data-region-field]").forEach(enhance);
  });
})();
