// Passkeys (WebAuthn) without a build step: adding one on the account page (form#passkey-add)
// and signing the minutes with one on the justering page (form#passkey-sign). The server gives
// the options as JSON (binary values in base64url), the browser's answer goes back as JSON.
"use strict";

(() => {
  const toBytes = (text) => {
    const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const raw = atob(b64 + "===".slice((b64.length + 3) % 4));
    return Uint8Array.from(raw, (c) => c.charCodeAt(0));
  };
  const toText = (buffer) => {
    let raw = "";
    new Uint8Array(buffer).forEach((b) => { raw += String.fromCharCode(b); });
    return btoa(raw).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  };

  const show = (form, text) => {
    const box = form.querySelector("[role=alert]");
    box.textContent = text;
    box.hidden = !text;
    if (text) box.focus();
  };

  const refused = (error) => {
    if (error && error.name === "NotAllowedError") {
      return "Passkeyn användes inte: det avbröts eller tiden gick ut. Försök igen.";
    }
    if (error && error.name === "InvalidStateError") {
      return "Den här enheten har redan en passkey för dig. Ta bort den först om du vill lägga upp den igen.";
    }
    return "Webbläsaren kunde inte använda någon passkey här.";
  };

  const post = async (url, form, body) => {
    const csrf = form.querySelector("[name=csrfmiddlewaretoken]").value;
    const headers = { "X-CSRFToken": csrf, Accept: "application/json" };
    if (!(body instanceof FormData)) headers["Content-Type"] = "application/json";
    const response = await fetch(url, {
      method: "POST", headers, body: body instanceof FormData ? body : JSON.stringify(body),
      credentials: "same-origin",
    });
    let data = {};
    try { data = await response.json(); } catch (e) { data = {}; }
    if (!response.ok) throw new Error(data.message || "Något gick fel. Försök igen.");
    return data;
  };

  const descriptors = (list) => (list || []).map((c) => ({ ...c, id: toBytes(c.id) }));

  const add = async (form) => {
    const options = await post(form.dataset.optionsUrl, form, new FormData(form));
    options.challenge = toBytes(options.challenge);
    options.user.id = toBytes(options.user.id);
    options.excludeCredentials = descriptors(options.excludeCredentials);
    let credential;
    try { credential = await navigator.credentials.create({ publicKey: options }); } catch (e) { throw new Error(refused(e)); }
    const r = credential.response;
    return post(form.dataset.registerUrl, form, {
      id: credential.id, rawId: toText(credential.rawId), type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toText(r.clientDataJSON), attestationObject: toText(r.attestationObject),
        transports: r.getTransports ? r.getTransports() : [],
      },
    });
  };

  const sign = async (form) => {
    const options = await post(form.dataset.optionsUrl, form, new FormData(form));
    options.challenge = toBytes(options.challenge);
    options.allowCredentials = descriptors(options.allowCredentials);
    let credential;
    try { credential = await navigator.credentials.get({ publicKey: options }); } catch (e) { throw new Error(refused(e)); }
    const r = credential.response;
    return post(form.dataset.signUrl, form, {
      id: credential.id, rawId: toText(credential.rawId), type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: {
        clientDataJSON: toText(r.clientDataJSON), authenticatorData: toText(r.authenticatorData),
        signature: toText(r.signature), userHandle: r.userHandle ? toText(r.userHandle) : undefined,
      },
    });
  };

  const wire = (id, ceremony) => {
    const form = document.getElementById(id);
    if (!form) return;
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (!window.PublicKeyCredential) {
        show(form, "Webbläsaren kan inte använda passkeys.");
        return;
      }
      const button = form.querySelector("button[type=submit]");
      button.disabled = true;
      show(form, "");
      try {
        const done = await ceremony(form);
        window.location.assign(done.redirect);
      } catch (e) {
        show(form, e.message);
        button.disabled = false;
      }
    });
  };

  wire("passkey-add", add);
  wire("passkey-sign", sign);
})();
