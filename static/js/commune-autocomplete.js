// Commune autocomplete: turns the commune text box into an ARIA 1.2 combobox (list autocomplete).
// Progressive enhancement: without this file the form still works (the server proposes the
// matching communes as radio buttons). No inline script: loaded through the form's media (CSP).
(() => {
  "use strict";

  const DEBOUNCE_MS = 250;
  const MIN_CHARS = 2;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, (_match, key) => values[key] ?? "");
  }

  function enhance(root) {
    const input = root.querySelector('input[type="text"]');
    const hidden = root.querySelector("input[data-commune-id]");
    const listbox = document.getElementById(root.dataset.listboxId);
    const status = document.getElementById(root.dataset.statusId);
    if (!input || !hidden || !listbox || !status) return;

    let results = [];
    let active = -1;
    let timer = null;
    let controller = null;
    let lastQuery = null;

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listbox.id);
    input.setAttribute("autocomplete", "off");

    function announce(message) {
      status.textContent = message;
    }

    function close() {
      listbox.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
    }

    function setActive(index) {
      const options = listbox.querySelectorAll('[role="option"]');
      options.forEach((option, i) => {
        const selected = i === index;
        option.setAttribute("aria-selected", selected ? "true" : "false");
        option.classList.toggle("active", selected);
        if (selected) option.scrollIntoView({ block: "nearest" });
      });
      active = index;
      if (index >= 0 && options[index]) {
        input.setAttribute("aria-activedescendant", options[index].id);
      } else {
        input.removeAttribute("aria-activedescendant");
      }
    }

    function choose(index) {
      const commune = results[index];
      if (!commune) return;
      input.value = commune.label;
      hidden.value = String(commune.id);
      hidden.disabled = false;
      // The server's radio buttons (no-JS fallback) no longer apply once a commune is chosen here.
      const candidates = root.querySelector("[data-commune-candidates]");
      if (candidates) candidates.remove();
      lastQuery = input.value;
      close();
      announce(format(root.dataset.selected, { label: commune.label }));
    }

    function render() {
      listbox.replaceChildren();
      results.forEach((commune, index) => {
        const option = document.createElement("li");
        option.id = `${listbox.id}_option_${index}`;
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.className = "list-group-item list-group-item-action";
        option.textContent = commune.label;
        // mousedown, not click: it fires before the input's blur closes the list.
        option.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(index);
        });
        listbox.appendChild(option);
      });
      const open = results.length > 0;
      listbox.hidden = !open;
      input.setAttribute("aria-expanded", open ? "true" : "false");
      active = -1;
      if (results.length === 0) {
        announce(root.dataset.noResults);
      } else if (results.length === 1) {
        announce(root.dataset.oneResult);
      } else {
        announce(format(root.dataset.manyResults, { count: results.length }));
      }
    }

    async function search(query) {
      if (controller) controller.abort();
      controller = new AbortController();
      const url = new URL(root.dataset.searchUrl, window.location.origin);
      url.searchParams.set("q", query);
      if (root.dataset.departements) url.searchParams.set("dep", root.dataset.departements);
      try {
        const response = await fetch(url, {
          headers: { Accept: "application/json" },
          signal: controller.signal,
        });
        if (!response.ok) return; // rate limited or server error: the form still works on submit
        const data = await response.json();
        if (input.value.trim() !== query) return; // a newer keystroke won
        results = data.results || [];
        render();
      } catch (error) {
        if (error.name !== "AbortError") close();
      }
    }

    input.addEventListener("input", () => {
      hidden.value = ""; // the text changed: the previous choice no longer holds
      const query = input.value.trim();
      clearTimeout(timer);
      if (query.replace(/\s/g, "").length < MIN_CHARS) {
        results = [];
        listbox.replaceChildren();
        close();
        return;
      }
      if (query === lastQuery) return;
      timer = setTimeout(() => {
        lastQuery = query;
        search(query);
      }, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", (event) => {
      const open = !listbox.hidden && results.length > 0;
      switch (event.key) {
        case "ArrowDown":
          if (!open && results.length > 0) {
            listbox.hidden = false;
            input.setAttribute("aria-expanded", "true");
          }
          if (results.length > 0) {
            event.preventDefault();
            setActive(active + 1 >= results.length ? 0 : active + 1);
          }
          break;
        case "ArrowUp":
          if (open) {
            event.preventDefault();
            setActive(active <= 0 ? results.length - 1 : active - 1);
          }
          break;
        case "Enter":
          if (open && active >= 0) {
            event.preventDefault(); // choose, do not submit yet
            choose(active);
          }
          break;
        case "Escape":
          if (open) {
            event.preventDefault();
            close();
          } else {
            input.value = "";
            hidden.value = "";
          }
          break;
        case "Tab":
          close();
          break;
        default:
          break;
      }
    });

    input.addEventListener("blur", () => {
      // Let an option's mousedown run first.
      setTimeout(close, 100);
    });
  }

  function init() {
    document.querySelectorAll("[data-commune-autocomplete]").forEach(enhance);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
