// Progressive enhancement of /today (without it a reload shows the same):
// - every 30 seconds while the tab is visible it asks /today/updates whether the day changed (a
//   planned call whose time has come moves to "call now"); it stops while the tab is hidden and
//   looks again as soon as it is shown. When the day changed it puts a fresh copy of the list in
//   place, unless the coach is typing in a quick log: then it says so and offers a reload;
// - it announces calls that fell due in the page's polite status region, and, once the coach asked
//   for it with the button (never on load), shows a browser notification naming first name and time;
// - after a quick log it announces what was saved and puts the focus on the next row.
(function () {
  var live = document.getElementById('today-live');
  if (!live || !window.fetch || !window.DOMParser) return;
  var EVERY = 30000;
  var status = document.getElementById('today-status');
  var changed = document.querySelector('[data-today-changed]');
  var signature = live.getAttribute('data-signature');
  var known = dueIds(parseDue(live.getAttribute('data-due')));
  var lastPoll = Date.now();
  var timer = null;

  function parseDue(text) {
    try {
      var list = JSON.parse(text || '[]');
      return Array.isArray(list) ? list : [];
    } catch {
      return [];
    }
  }

  function dueIds(list) {
    var ids = {};
    list.forEach(function (call) {
      ids[call.id + '@' + call.plannedTime] = true;
    });
    return ids;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? values[key] : match;
    });
  }

  // A status region announces a change of its content, so the text is set anew each time. It
  // stays in sight (sticky) for a while, then makes room again.
  var clearing = null;
  function announce(text) {
    if (!status) return;
    status.textContent = '';
    window.clearTimeout(clearing);
    window.setTimeout(function () {
      var line = document.createElement('p');
      line.className = 'notice';
      line.textContent = text;
      status.appendChild(line);
      clearing = window.setTimeout(function () {
        status.textContent = '';
      }, 15000);
    }, 100);
  }

  // Whether the coach has typed in a quick log of the list: replacing it would lose that.
  function typing() {
    // A refused quick log shows what was typed: keep it until the coach sends or leaves it.
    if (live.querySelector('.today-item--error')) return true;
    var fields = live.querySelectorAll('textarea, input[type="text"], select');
    for (var index = 0; index < fields.length; index += 1) {
      var field = fields[index];
      if (field.tagName === 'SELECT' ? !field.options[field.selectedIndex].defaultSelected : field.value !== field.defaultValue) {
        return true;
      }
    }
    return false;
  }

  function notify(call) {
    if (!('Notification' in window) || Notification.permission !== 'granted') return;
    var text = fill(live.getAttribute('data-text-notification'), { name: call.firstName, time: call.plannedTime });
    try {
      new Notification(text, { tag: 'inbeeld-call-' + call.id + '-' + call.plannedTime });
    } catch {
      // Some browsers only notify from a service worker: the announcement in the page remains.
    }
  }

  function replaceList() {
    return fetch('/today', { credentials: 'same-origin', headers: { Accept: 'text/html' } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('today-live');
        // No list: signed out meanwhile (the sign-in page came back). Leave the page as it is.
        if (!fresh) return;
        live.innerHTML = fresh.innerHTML;
        live.setAttribute('data-signature', fresh.getAttribute('data-signature'));
        signature = fresh.getAttribute('data-signature');
        if (changed) changed.hidden = true;
      });
  }

  function poll() {
    lastPoll = Date.now();
    fetch(live.getAttribute('data-updates'), { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (update) {
        var fresh = (update.dueNow || []).filter(function (call) {
          return !known[call.id + '@' + call.plannedTime];
        });
        known = dueIds(update.dueNow || []);
        fresh.forEach(notify);
        if (update.signature !== signature) {
          if (typing()) {
            if (changed) changed.hidden = false;
          } else {
            return replaceList().then(function () {
              return fresh;
            });
          }
        }
        return fresh;
      })
      .then(function (fresh) {
        if (fresh && fresh.length > 0) {
          var names = fresh
            .map(function (call) {
              return call.firstName + ' (' + call.plannedTime + ')';
            })
            .join(', ');
          announce(fill(live.getAttribute('data-text-due'), { names: names }));
        }
      })
      .catch(function () {
        // Signed out, restarting or offline: the next round tries again.
      })
      .then(schedule);
  }

  function schedule() {
    window.clearTimeout(timer);
    timer = null;
    if (document.visibilityState === 'hidden') return;
    timer = window.setTimeout(poll, Math.max(0, EVERY - (Date.now() - lastPoll)));
  }

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') {
      window.clearTimeout(timer);
      timer = null;
    } else if (timer === null) {
      schedule();
    }
  });

  // The notification button: shown only where the browser can notify; the permission is asked on its click only.
  var panel = document.querySelector('[data-today-notify]');
  if (panel && 'Notification' in window) {
    var button = panel.querySelector('[data-notify-button]');
    var on = panel.querySelector('[data-notify-on]');
    var denied = panel.querySelector('[data-notify-denied]');
    var show = function () {
      var permission = Notification.permission;
      button.hidden = permission !== 'default';
      on.hidden = permission !== 'granted';
      denied.hidden = permission !== 'denied';
    };
    panel.hidden = false;
    show();
    button.addEventListener('click', function () {
      var asked = Notification.requestPermission(show);
      if (asked && typeof asked.then === 'function') asked.then(show);
    });
  }

  // After a quick log: say again what was saved, so it is announced, and focus the next row.
  if (status && status.textContent.trim() !== '') announce(status.textContent.trim());
  var target = window.location.hash ? document.getElementById(window.location.hash.slice(1)) : null;
  if (target && (target.classList.contains('today-item') || target === status)) target.focus();
  if (window.history && window.history.replaceState && /[?&]logged=/.test(window.location.search)) {
    // A reload should not confirm the same log again.
    window.history.replaceState(null, '', '/today' + window.location.hash);
  }
  schedule();
})();
