// Passkeys (WebAuthn) for the forms marked data-passkey="register" | "sign-in" | "verify": asks the
// app for the ceremony's options (a POST with the page's CSRF token), lets the browser create or use
// a passkey, and posts the answer as JSON in the form's hidden `credential` field. The server checks
// everything. Progressive enhancement: without JavaScript or passkey support the forms stay hidden
// and the page's text says what is needed; nothing is sent.
(function () {
  'use strict';
  var forms = document.querySelectorAll('form[data-passkey]');
  if (!forms.length) return;
  var supported = typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
  if (!supported) return;

  function toBuffer(base64url) {
    var base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    while (base64.length % 4) base64 += '=';
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = '';
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }

  function withBuffers(list) {
    return (list || []).map(function (item) {
      return { type: item.type || 'public-key', id: toBuffer(item.id), transports: item.transports };
    });
  }

  function creationOptions(json) {
    var options = Object.assign({}, json, {
      challenge: toBuffer(json.challenge),
      user: Object.assign({}, json.user, { id: toBuffer(json.user.id) }),
      excludeCredentials: withBuffers(json.excludeCredentials),
    });
    return { publicKey: options };
  }

  function requestOptions(json) {
    var options = Object.assign({}, json, {
      challenge: toBuffer(json.challenge),
      allowCredentials: withBuffers(json.allowCredentials),
    });
    return { publicKey: options };
  }

  function common(credential) {
    return {
      id: credential.id,
      rawId: toBase64url(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || undefined,
      clientExtensionResults: credential.getClientExtensionResults ? credential.getClientExtensionResults() : {},
    };
  }

  function registrationJson(credential) {
    var response = credential.response;
    return Object.assign(common(credential), {
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        attestationObject: toBase64url(response.attestationObject),
        transports: response.getTransports ? response.getTransports() : [],
      },
    });
  }

  function assertionJson(credential) {
    var response = credential.response;
    return Object.assign(common(credential), {
      response: {
        clientDataJSON: toBase64url(response.clientDataJSON),
        authenticatorData: toBase64url(response.authenticatorData),
        signature: toBase64url(response.signature),
        userHandle: response.userHandle && response.userHandle.byteLength ? toBase64url(response.userHandle) : undefined,
      },
    });
  }

  function say(form, text) {
    var message = form.querySelector('[data-passkey-message]');
    if (!message) return;
    message.textContent = text;
    message.hidden = !text;
  }

  function start(form) {
    var register = form.getAttribute('data-passkey') === 'register';
    var button = form.querySelector('button[type=submit]');
    var token = form.querySelector('input[name=_csrf]');
    button.disabled = true;
    say(form, '');
    fetch(form.getAttribute('data-passkey-options'), {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'X-CSRF-Token': token ? token.value : '' },
    })
      .then(function (response) {
        // Adding a passkey asks for the second factor again first: the server says where.
        if (response.status === 403) {
          return response.json().then(function (body) {
            if (!body || typeof body.stepUp !== 'string' || !/^\/(?!\/)/.test(body.stepUp)) throw new Error('options 403');
            // Back to this page afterwards (no Referer reaches the server: the pages send no-referrer).
            var target = new URL(body.stepUp, window.location.href);
            target.searchParams.set('next', window.location.pathname + window.location.search);
            window.location.assign(target.pathname + target.search);
            return new Promise(function () {});
          });
        }
        if (!response.ok) throw new Error('options ' + response.status);
        return response.json();
      })
      .then(function (json) {
        return register ? navigator.credentials.create(creationOptions(json)) : navigator.credentials.get(requestOptions(json));
      })
      .then(function (credential) {
        if (!credential) throw new DOMException('no credential', 'NotAllowedError');
        form.querySelector('input[name=credential]').value = JSON.stringify(
          register ? registrationJson(credential) : assertionJson(credential),
        );
        form.submit();
      })
      .catch(function (error) {
        button.disabled = false;
        var cancelled = error && (error.name === 'NotAllowedError' || error.name === 'AbortError');
        say(form, form.getAttribute(cancelled ? 'data-msg-cancelled' : 'data-msg-failed'));
      });
  }

  Array.prototype.forEach.call(forms, function (form) {
    var container = form.parentNode;
    var needsScript = container && container.querySelector('[data-passkey-needs-script]');
    if (needsScript) needsScript.hidden = true;
    form.hidden = false;
    form.addEventListener('submit', function (event) {
      if (form.querySelector('input[name=credential]').value) return;
      event.preventDefault();
      start(form);
    });
  });
})();
