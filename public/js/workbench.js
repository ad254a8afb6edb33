// Keyboard-first coding. Every action here is also a plain form or link on the page.
(function () {
  'use strict';

  var answer = document.getElementById('answer-text');

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function submit(form) {
    if (!form || form.dataset.sent) return;
    form.dataset.sent = '1';
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  /** Character offset of a point in the answer, counting only its text. */
  function offsetOf(node, offset) {
    var range = document.createRange();
    range.setStart(answer, 0);
    range.setEnd(node, offset);
    return range.toString().length;
  }

  function selectedSpan() {
    var selection = window.getSelection();
    if (!answer || !selection || selection.isCollapsed || selection.rangeCount === 0) return null;
    var range = selection.getRangeAt(0);
    if (!answer.contains(range.startContainer) || !answer.contains(range.endContainer)) return null;
    var start = offsetOf(range.startContainer, range.startOffset);
    var end = offsetOf(range.endContainer, range.endOffset);
    return end > start ? { start: start, end: end } : null;
  }

  function codeSpan(codeForm, span) {
    var form = document.getElementById('span-form');
    if (!form) return;
    document.getElementById('span-start').value = span.start;
    document.getElementById('span-end').value = span.end;
    document.getElementById('span-words').value = '';
    document.getElementById('span-code').value = codeForm.dataset.code;
    submit(form);
  }

  function follow(id) {
    var link = document.getElementById(id);
    if (link) window.location.href = link.href;
  }

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (/^[1-9]$/.test(key)) {
      var codeForm = document.querySelector('form[data-code-key="' + key + '"]');
      if (!codeForm) return;
      event.preventDefault();
      var span = selectedSpan();
      if (span) codeSpan(codeForm, span);
      else submit(codeForm);
    } else if (key === 'j') {
      follow('next-answer');
    } else if (key === 'k') {
      follow('previous-answer');
    } else if (key === '/') {
      var search = document.getElementById('f-q');
      if (search) {
        event.preventDefault();
        search.focus();
        search.select();
      }
    } else if (key === 's') {
      // No star form means no quote consent: point the analyst to the warning that says so.
      var warning = document.getElementById('no-consent-warning');
      if (warning) warning.focus();
      else submit(document.getElementById('star-form'));
    } else if (key === 'n') {
      submit(document.getElementById('no-code-form'));
    } else if (key === 'a') {
      submit(document.querySelector('form[data-suggestion="1"]'));
    }
  });
})();
