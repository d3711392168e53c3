// Progressive enhancement of a one-time link on an administrator's page: a button copies it.
// Without JavaScript the field is still there to select and copy by hand.
(function () {
  var button = document.querySelector('[data-copy-button]');
  var source = document.querySelector('[data-copy-source]');
  var status = document.querySelector('[data-copy-status]');
  if (!button || !source || !navigator.clipboard) return;
  button.hidden = false;
  source.addEventListener('focus', function () {
    source.select();
  });
  button.addEventListener('click', function () {
    navigator.clipboard.writeText(source.value).then(function () {
      if (status) status.textContent = status.getAttribute('data-copied');
    });
  });
})();
