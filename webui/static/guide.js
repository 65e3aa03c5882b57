// Live suggestions on the guide's conversation page (progressive enhancement): after a pause in
// typing, the conversation's words go to the server with the form's CSRF token and the
// suggestions come back as HTML; nothing is stored. Without JavaScript the page works as
// before: save, then "see suggestions from the conversation".
(function () {
  "use strict";
  var form = document.querySelector("form[data-live-url]");
  if (!form || !window.fetch || !window.FormData) { return; }
  var section = document.getElementById("live-forslag");
  var list = document.getElementById("live-forslag-liste");
  var WORDS = ["csrf_token", "dreams", "goals", "what_matters", "barrier_words"];
  var PAUSE_MS = 600;
  var timer = null;
  var latest = 0;

  function words() {
    var all = new FormData(form), sent = new FormData();
    WORDS.forEach(function (name) { sent.append(name, all.get(name) || ""); });
    return sent;
  }

  function refresh() {
    var asked = ++latest;
    fetch(form.dataset.liveUrl, {method: "POST", body: words(), credentials: "same-origin"})
      .then(function (answer) { return answer.ok ? answer.text() : Promise.reject(answer.status); })
      .then(function (html) {
        if (asked !== latest) { return; }          // an older answer arriving late
        list.innerHTML = html;
        section.hidden = false;
      })
      .catch(function () { /* the saved page's suggestions still work */ });
  }

  form.addEventListener("input", function (event) {
    if (!event.target.matches("textarea")) { return; }
    clearTimeout(timer);
    timer = setTimeout(refresh, PAUSE_MS);
  });
}());
