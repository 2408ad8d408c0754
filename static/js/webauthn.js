// Security keys (WebAuthn) through allauth's own script (mfa/js/webauthn.js), without inline
// script (CSP): each key button names allauth's form and carries its options in data attributes
// (templates/mfa/webauthn/snippets/key_button.html). A failure is shown on the page, not only in
// the console.
document.addEventListener("DOMContentLoaded", () => {
  const buttons = document.querySelectorAll("[data-webauthn-form]");
  if (!buttons.length) {
    return;
  }
  const errorBox = document.querySelector("[data-webauthn-error]");
  const showError = (message) => {
    if (errorBox) {
      errorBox.textContent = message;
      errorBox.hidden = false;
    }
  };
  const forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms;
  if (!forms || !window.PublicKeyCredential) {
    buttons.forEach((button) => {
      button.disabled = true;
    });
    showError(errorBox ? errorBox.dataset.unsupported : "");
    return;
  }
  document.addEventListener("allauth.error", (event) => {
    event.preventDefault();
    showError(errorBox ? errorBox.dataset.message : "");
  });
  buttons.forEach((button) => {
    const kind = button.dataset.webauthnForm;
    if (kind !== "addForm" && kind !== "authenticateForm") {
      return;
    }
    forms[kind]({
      ids: { add: button.id, authenticate: button.id, credential: button.dataset.webauthnCredential },
      data: JSON.parse(button.dataset.webauthnOptions),
    });
  });
});
