// Progressive enhancement of the close form of a trajectory: the handover's fields
// (views/handovers/_close-fields.ejs) show only while the outcome "handover" is chosen. Without
// JavaScript they are always shown, with a hint that they count only for a handover; the server
// reads them only then (src/handovers/schemas.ts), so hidden values typed earlier do no harm.
(function () {
  var fieldset = document.querySelector('fieldset[data-shown-for-outcome]');
  var outcome = document.getElementById('outcome');
  if (!fieldset || !outcome) return;
  var wanted = fieldset.getAttribute('data-shown-for-outcome');
  // A refused form with a message inside the fieldset stays open whatever the outcome says.
  var hasError = fieldset.querySelector('.field--error') !== null;

  function follow() {
    fieldset.hidden = outcome.value !== wanted && !hasError;
  }

  outcome.addEventListener('change', function () {
    hasError = false;
    follow();
  });
  follow();
})();
