// DéClics: progressive enhancements only. Every action works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Language switch: submit on change, the button stays for people without JavaScript.
  const select = document.getElementById("language-select");
  if (select) {
    select.addEventListener("change", () => select.form.submit());
  }
});
