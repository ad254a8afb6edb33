// Keyboard-first coding. Every action here is also a plain form or link on the page: this script
// sends the same forms with fetch, asking for JSON, and updates the page from the answer's state as
// the server confirms it, without loading the page again. Moving between answers still loads pages.
(function () {
  'use strict';

  var answer = document.getElementById('answer-text');
  var statusBox = document.getElementById('work-status');
  var errorBox = document.getElementById('work-error');

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function submit(form) {
    if (!form || form.dataset.sent) return;
    form.dataset.sent = '1';
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  /* ---- Coding in place ---- */

  /** The forms sent with fetch; redactions still load the page (their preview is a page of its own). */
  function live(form) {
    return (
      form &&
      form.tagName === 'FORM' &&
      typeof window.fetch === 'function' &&
      form.matches('#codes form, .suggestions form, #star-form, #memo-form, #span-form, #passages form')
    );
  }

  function field(form, name) {
    return form.querySelector('input[name="' + name + '"]');
  }

  function setText(element, text) {
    if (element) element.textContent = text;
  }

  function setPressed(form, on, stateText) {
    var button = form.querySelector('button');
    if (!button) return;
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.classList.toggle('is-on', on);
    if (stateText !== undefined) setText(button.querySelector('.code-state'), on ? stateText : '');
  }

  function codeName(form) {
    var name = form.querySelector('.code-name');
    return name ? name.firstChild.textContent.replace(/^↳\s*/, '').trim() : '';
  }

  function say(message) {
    if (!statusBox) return;
    // A new text node each time, so a repeated message is announced again.
    statusBox.textContent = '';
    statusBox.appendChild(document.createTextNode(message));
  }

  function showError(message) {
    if (!errorBox) return;
    errorBox.textContent = '';
    var text = document.createElement('p');
    text.textContent = message;
    errorBox.appendChild(text);
  }

  /** What the action did, in words, for the status line. */
  function describe(form, state) {
    if (form.id === 'memo-form') return 'Memo saved.';
    if (form.id === 'star-form') return state.starred ? 'Starred as a quote.' : 'Star removed.';
    if (form.id === 'no-code-form') return state.noCode ? 'No code applies: decided.' : 'No code applies: withdrawn.';
    if (form.id === 'span-form') return 'Passage coded.';
    if (form.closest('#passages')) return 'Passage removed.';
    var code = field(form, 'code');
    var on = code && state.codes.indexOf(code.value) >= 0;
    return codeName(form) + (on ? ': coded.' : ': not coded.');
  }

  /** Brings every control on the page into line with the answer's state as the server has it. */
  function show(state, form) {
    document.querySelectorAll('#codes form[data-code]').forEach(function (codeForm) {
      var on = state.codes.indexOf(codeForm.dataset.code) >= 0;
      setPressed(codeForm, on, 'Coded');
      field(codeForm, 'present').value = on ? '0' : '1';
    });
    document.querySelectorAll('.suggestions form').forEach(function (suggestion) {
      setPressed(suggestion, state.codes.indexOf(field(suggestion, 'code').value) >= 0);
    });
    var noCode = document.getElementById('no-code-form');
    if (noCode) {
      setPressed(noCode, state.noCode, 'Decided');
      field(noCode, 'present').value = state.noCode ? '0' : '1';
    }
    var star = document.getElementById('star-form');
    if (star) {
      setPressed(star, state.starred);
      setText(star.querySelector('.star-label'), state.starred ? '★ Unstar quote' : '☆ Star as quote');
      field(star, 'starred').value = state.starred ? '0' : '1';
    }
    var starredAtAll = state.starred || state.starredByOthers > 0;
    ['starred-mark', 'redact-details'].forEach(function (id) {
      var element = document.getElementById(id);
      if (element) element.hidden = !starredAtAll;
    });
    var count = 'Coded ' + state.progress.coded + ' of ' + state.progress.total;
    setText(document.querySelector('#progress strong'), count);
    say(describe(form, state) + ' ' + count + ' by you.');
    var focused = document.activeElement;
    drawText(state);
    drawPassages(state);
    if (form.id === 'span-form') document.getElementById('span-words').value = '';
    // A button that was redrawn away (a passage's Remove) hands focus back to the answer.
    if (focused && focused !== document.body && !document.contains(focused)) answer.focus();
  }

  /** The answer's text with its coded passages and redactions marked, as the page draws it. */
  function drawText(state) {
    var spans = {};
    state.spans.forEach(function (span) {
      spans[span.code] = span;
    });
    answer.textContent = '';
    state.segments.forEach(function (segment) {
      if (segment.codes.length === 0 && !segment.redacted) {
        answer.appendChild(document.createTextNode(segment.text));
        return;
      }
      var mark = document.createElement('mark');
      if (segment.redacted) mark.className = 'redacted';
      mark.style.setProperty('--code-colour', segment.codes.length ? spans[segment.codes[0]].colour : '#505a5f');
      mark.title = segment.codes
        .map(function (code) {
          return spans[code].name;
        })
        .concat(segment.redacted ? ['redacted'] : [])
        .join(', ');
      mark.textContent = segment.text;
      answer.appendChild(mark);
    });
  }

  function hidden(name, value) {
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = name;
    input.value = value;
    return input;
  }

  /** The list of coded passages, each with its Remove form (the same form the page draws). */
  function drawPassages(state) {
    var passages = document.getElementById('passages');
    var spanForm = document.getElementById('span-form');
    if (!passages || !spanForm) return;
    passages.textContent = '';
    if (state.spans.length === 0) return;
    var text = answer.textContent;
    var heading = document.createElement('h3');
    heading.textContent = 'Coded passages';
    var list = document.createElement('ul');
    list.className = 'plain-list spans';
    state.spans.forEach(function (span) {
      var item = document.createElement('li');
      var swatch = document.createElement('span');
      swatch.className = 'swatch';
      swatch.style.background = span.colour;
      var name = document.createElement('strong');
      name.textContent = span.name;
      var form = document.createElement('form');
      form.method = 'post';
      form.action = spanForm.action;
      form.className = 'inline-form';
      form.append(
        hidden('_csrf', field(spanForm, '_csrf').value),
        hidden('view', field(spanForm, 'view').value),
        hidden('code', span.code),
        hidden('start', String(span.start)),
        hidden('end', String(span.end)),
        hidden('remove', '1'),
      );
      var button = document.createElement('button');
      button.type = 'submit';
      button.className = 'link-button';
      var label = document.createElement('span');
      label.className = 'visually-hidden';
      label.textContent = ' passage coded ' + span.name;
      button.append('Remove', label);
      form.appendChild(button);
      item.append(swatch, name, ': “' + text.slice(span.start, span.end) + '” ', form);
      list.appendChild(item);
    });
    passages.append(heading, list);
  }

  function post(form) {
    return fetch(form.action, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(new FormData(form)),
    }).then(
      function (response) {
        return response
          .json()
          .catch(function () {
            return null;
          })
          .then(function (data) {
            if (response.ok && data && !data.error) return data;
            var message = data && data.error && data.error.message;
            throw new Error(message || 'Nothing was saved: the server answered ' + response.status + '.');
          });
      },
      function () {
        throw new Error('Nothing was saved: the server could not be reached. Check the connection and try again.');
      },
    );
  }

  // One change at a time, each reading the form when its turn comes: a second key press while the
  // first is on its way sends the state wanted after the first, as a second click on a loaded page would.
  var queue = Promise.resolve();
  function send(form) {
    if (!live(form)) return submit(form);
    queue = queue.then(function () {
      return post(form).then(
        function (state) {
          if (errorBox) errorBox.textContent = '';
          show(state, form);
        },
        function (error) {
          showError(error.message);
        },
      );
    });
  }

  document.addEventListener(
    'submit',
    function (event) {
      if (!live(event.target)) return;
      // Handled here, not by the double-submit guard: each click sends the state it wants now.
      event.preventDefault();
      event.stopImmediatePropagation();
      send(event.target);
    },
    true,
  );

  /* ---- Passages ---- */

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
    send(form);
  }

  /** A code on the whole answer, or on the selected words when there are some. */
  function applyCode(codeForm, span) {
    if (span) codeSpan(codeForm, span);
    else send(codeForm);
  }

  /* ---- The code palette: every code, by its number or name ---- */

  var palette = null;
  var paletteInput = null;
  var paletteList = null;
  var paletteDefinition = null;
  var choices = [];
  var active = 0;
  var paletteSpan = null;

  function allCodes() {
    return Array.prototype.map.call(document.querySelectorAll('#codes form[data-code]'), function (form) {
      var definition = form.parentElement.querySelector('.code-definition');
      return {
        form: form,
        key: form.dataset.codeKey || '',
        name: codeName(form),
        definition: definition ? definition.textContent : '',
      };
    });
  }

  /** Codes whose number is what was typed first, then those whose number starts with it, then by name. */
  function filtered(text) {
    var wanted = text.trim().toLowerCase();
    var codes = allCodes();
    if (!wanted) return codes;
    var exact = [];
    var started = [];
    var named = [];
    codes.forEach(function (code) {
      if (code.key === wanted) exact.push(code);
      else if (code.key && code.key.indexOf(wanted) === 0) started.push(code);
      else if (code.name.toLowerCase().indexOf(wanted) >= 0) named.push(code);
    });
    return exact.concat(started, named);
  }

  function buildPalette() {
    palette = document.createElement('div');
    palette.className = 'palette';
    palette.id = 'code-palette';
    palette.setAttribute('role', 'dialog');
    palette.setAttribute('aria-label', 'Apply a code');
    palette.hidden = true;
    var label = document.createElement('label');
    label.htmlFor = 'palette-input';
    label.textContent = 'Apply a code: type its number or name, then press Enter';
    paletteInput = document.createElement('input');
    paletteInput.type = 'text';
    paletteInput.id = 'palette-input';
    paletteInput.autocomplete = 'off';
    paletteInput.spellcheck = false;
    paletteInput.setAttribute('role', 'combobox');
    paletteInput.setAttribute('aria-autocomplete', 'list');
    paletteInput.setAttribute('aria-expanded', 'true');
    paletteInput.setAttribute('aria-controls', 'palette-list');
    paletteInput.setAttribute('aria-describedby', 'palette-help');
    paletteList = document.createElement('ul');
    paletteList.id = 'palette-list';
    paletteList.setAttribute('role', 'listbox');
    paletteList.setAttribute('aria-label', 'Codes');
    paletteDefinition = document.createElement('p');
    paletteDefinition.className = 'hint palette-definition';
    var help = document.createElement('p');
    help.className = 'hint';
    help.id = 'palette-help';
    help.textContent = 'Up and down arrows choose, Enter puts the code on or off, Escape closes.';
    palette.append(label, paletteInput, paletteList, paletteDefinition, help);
    document.querySelector('.codes-panel').appendChild(palette);

    paletteInput.addEventListener('input', function () {
      render(0);
    });
    paletteInput.addEventListener('keydown', function (event) {
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        if (choices.length) render((active + (event.key === 'ArrowDown' ? 1 : choices.length - 1)) % choices.length);
      } else if (event.key === 'Enter') {
        event.preventDefault();
        var chosen = choices[active];
        if (chosen) {
          closePalette();
          applyCode(chosen.form, paletteSpan);
        }
      } else if (event.key === 'Escape') {
        event.preventDefault();
        closePalette();
      } else if (event.key === 'Tab') {
        closePalette();
      }
    });
    // Choosing with the mouse: keep focus in the box until the click lands.
    paletteList.addEventListener('mousedown', function (event) {
      event.preventDefault();
    });
    paletteList.addEventListener('click', function (event) {
      var option = event.target.closest('[role="option"]');
      if (!option) return;
      var chosen = choices[Number(option.dataset.index)];
      closePalette();
      if (chosen) applyCode(chosen.form, paletteSpan);
    });
    paletteInput.addEventListener('blur', function () {
      if (!palette.hidden) closePalette(true);
    });
  }

  function render(index) {
    choices = filtered(paletteInput.value);
    active = Math.max(0, Math.min(index, choices.length - 1));
    paletteList.textContent = '';
    choices.forEach(function (code, position) {
      var option = document.createElement('li');
      option.id = 'palette-option-' + position;
      option.dataset.index = String(position);
      option.setAttribute('role', 'option');
      option.setAttribute('aria-selected', position === active ? 'true' : 'false');
      var on = code.form.querySelector('button').getAttribute('aria-pressed') === 'true';
      if (code.key) {
        var key = document.createElement('kbd');
        key.textContent = code.key;
        option.append(key, ' ');
      }
      option.append(code.name + (on ? ' (coded)' : ''));
      paletteList.appendChild(option);
    });
    if (choices.length === 0) {
      paletteInput.removeAttribute('aria-activedescendant');
      paletteDefinition.textContent = 'No code matches.';
      return;
    }
    paletteInput.setAttribute('aria-activedescendant', 'palette-option-' + active);
    paletteDefinition.textContent = choices[active].definition;
    document.getElementById('palette-option-' + active).scrollIntoView({ block: 'nearest' });
  }

  function openPalette() {
    if (!document.querySelector('#codes form[data-code]')) return;
    paletteSpan = selectedSpan();
    if (!palette) buildPalette();
    palette.hidden = false;
    paletteInput.value = '';
    render(0);
    paletteInput.focus();
  }

  /** Closes the palette; focus goes back to the answer unless it already went somewhere else. */
  function closePalette(focusMoved) {
    palette.hidden = true;
    if (!focusMoved && answer) answer.focus();
  }

  /* ---- Keys ---- */

  function follow(id) {
    var link = document.getElementById(id);
    if (link) window.location.href = link.href;
  }

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    // A held key repeats: it must not put a code on and off again and again.
    if (event.repeat && /^[1-9nsac]$/.test(key)) return;
    if (/^[1-9]$/.test(key)) {
      var codeForm = document.querySelector('#codes form[data-code-key="' + key + '"]');
      if (!codeForm) return;
      event.preventDefault();
      applyCode(codeForm, selectedSpan());
    } else if (key === 'c') {
      event.preventDefault();
      openPalette();
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
      else send(document.getElementById('star-form'));
    } else if (key === 'n') {
      send(document.getElementById('no-code-form'));
    } else if (key === 'a') {
      send(document.querySelector('form[data-suggestion="1"]'));
    }
  });
})();
