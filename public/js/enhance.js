// Progressive enhancement only: every page works without this file.
(function () {
  'use strict';

  // Move focus to the error summary so screen readers announce it.
  var summary = document.querySelector('[data-autofocus]');
  if (summary) summary.focus();

  // Error summary links focus the field rather than just scrolling to it.
  document.querySelectorAll('.error-summary a[href^="#"]').forEach(function (link) {
    link.addEventListener('click', function (event) {
      var target = document.getElementById(link.getAttribute('href').slice(1));
      if (!target) return;
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: 'center' });
    });
  });

  // A second click on a submit button while the first is in flight does nothing.
  document.querySelectorAll('form').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (form.dataset.submitting === 'true') {
        event.preventDefault();
        return;
      }
      form.dataset.submitting = 'true';
      setTimeout(function () {
        form.dataset.submitting = 'false';
      }, 5000);
    });
  });

  // A resume link given relative to this site is shown in full, ready to copy.
  var resume = document.getElementById('resume-link');
  if (resume && resume.value.charAt(0) === '/') resume.value = window.location.origin + resume.value;

  // Live character count on long answers: "1 character left" (Welsh "1 nod ar ôl") has its own
  // wording; other counts are written as the server writes them, with a thousands comma ("10,000").
  document.querySelectorAll('textarea[data-limit]').forEach(function (area) {
    var count = area.parentElement.querySelector('.char-count');
    var limit = Number(area.dataset.limit);
    if (!count) return;
    var update = function () {
      var left = limit - Array.from(area.value).length;
      var one = Math.abs(left) === 1;
      var template =
        left >= 0 ? (one ? area.dataset.leftOne : area.dataset.left) : one ? area.dataset.overOne : area.dataset.over;
      count.textContent = template.replace('{count}', Math.abs(left).toLocaleString('en-GB'));
    };
    area.addEventListener('input', update);
  });
})();

// The theme report's print button only exists where JavaScript can press it.
(function () {
  var button = document.querySelector('[data-print]');
  if (!button) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    window.print();
  });
})();
