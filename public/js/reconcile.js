// The reconciliation queue by keyboard, without page reloads. Every action is also a plain form or link.
(function () {
  'use strict';

  var queue = document.getElementById('queue');
  if (!queue || !window.fetch || !window.DOMParser) return;
  var busy = false;

  function typing(target) {
    return target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  }

  function showProblem(message) {
    var alert = document.createElement('div');
    alert.className = 'error-summary';
    alert.setAttribute('role', 'alert');
    alert.textContent = message;
    queue.insertBefore(alert, queue.firstChild);
  }

  /** Puts the queue from a fetched page in place of this one, and its address in the location bar. */
  function load(request) {
    if (busy) return;
    busy = true;
    queue.setAttribute('aria-busy', 'true');
    fetch(request.url, {
      method: request.method,
      body: request.body,
      credentials: 'same-origin',
      headers: { Accept: 'text/html' },
    })
      .then(function (response) {
        return response.text().then(function (html) {
          var page = new DOMParser().parseFromString(html, 'text/html');
          var fresh = page.getElementById('queue');
          if (!response.ok || !fresh) {
            var reason = page.querySelector('main p, main li');
            throw new Error(reason ? reason.textContent.trim() : 'The server said ' + response.status);
          }
          queue.innerHTML = fresh.innerHTML;
          document.title = page.title;
          window.history.replaceState(null, '', response.url);
          var title = document.getElementById('queue-title');
          if (title) title.focus();
        });
      })
      .catch(function (error) {
        showProblem('Not saved: ' + error.message + ' Nothing was lost; try again, or reload the page.');
      })
      .then(function () {
        busy = false;
        queue.removeAttribute('aria-busy');
      });
  }

  function send(form) {
    load({ url: form.action, method: 'POST', body: new URLSearchParams(new FormData(form)) });
  }

  document.addEventListener('submit', function (event) {
    var form = event.target;
    if (!form.hasAttribute('data-queue')) return;
    event.preventDefault();
    send(form);
  });

  document.addEventListener('click', function (event) {
    var link = event.target.closest && event.target.closest('#next-item, #previous-item');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
    event.preventDefault();
    load({ url: link.href, method: 'GET' });
  });

  document.addEventListener('keydown', function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    var key = event.key;
    if (key === 'j' || key === 'k') {
      var link = document.getElementById(key === 'j' ? 'next-item' : 'previous-item');
      if (link) {
        event.preventDefault();
        load({ url: link.href, method: 'GET' });
      }
      return;
    }
    var form = /^[a-hu]$/.test(key) && document.querySelector('form[data-take-key="' + key + '"]');
    if (form) {
      event.preventDefault();
      send(form);
    }
  });
})();
