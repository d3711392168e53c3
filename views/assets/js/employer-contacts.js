// Progressive enhancement of a contact-person select (contact form, new placement): it lists only
// the people of the employer chosen in the select it names in data-follows-employer. Without
// JavaScript every person is listed, grouped per employer (<optgroup>), and the server refuses a
// person of another employer either way.
//
// The groups of other employers are taken out of the select rather than hidden: iOS Safari still
// lists hidden options.
(function () {
  var selects = document.querySelectorAll('select[data-follows-employer]');
  Array.prototype.forEach.call(selects, function (contactSelect) {
    var employerSelect = document.getElementById(contactSelect.getAttribute('data-follows-employer'));
    if (!employerSelect) return;
    var groups = Array.prototype.slice.call(contactSelect.querySelectorAll('optgroup[data-employer-id]'));

    function follow() {
      var employerId = employerSelect.value;
      var chosen = contactSelect.value;
      groups.forEach(function (group) {
        if (group.parentNode) group.parentNode.removeChild(group);
      });
      var shown = groups.filter(function (group) {
        return employerId === '' || group.getAttribute('data-employer-id') === employerId;
      });
      shown.forEach(function (group) {
        contactSelect.appendChild(group);
      });
      // A person of another employer is no longer a choice: back to "none".
      var stillThere = shown.some(function (group) {
        return Array.prototype.some.call(group.querySelectorAll('option'), function (option) {
          return option.value === chosen;
        });
      });
      contactSelect.value = stillThere ? chosen : '';
    }

    employerSelect.addEventListener('change', follow);
    follow();
  });
})();
