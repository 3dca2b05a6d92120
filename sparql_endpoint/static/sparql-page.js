// Progressive enhancement of the SPARQL query page. Without JavaScript the page is a
// plain form; with it, the textarea becomes the YASQE editor (syntax highlighting,
// bracket matching, completion of the query's own variables). The form still submits
// the query, so results, errors and download links stay server-rendered.
(function () {
  "use strict";
  var textarea = document.getElementById("query");
  if (!textarea || !window.Yasgui || !window.Yasgui.Yasqe) {
    return;
  }
  var form = textarea.form;
  var holder = document.createElement("div");
  holder.className = "yasqe-holder";
  textarea.parentNode.insertBefore(holder, textarea);
  textarea.hidden = true;
  var yasqe = new window.Yasgui.Yasqe(holder, {
    value: textarea.value,
    // The "class" and "property" completers call LOV, and "prefixes" prefix.cc unless
    // told otherwise: this page talks to no other site, so prefixes come from us.
    autocompleters: ["variables", "prefixes"],
    prefixCcApi: textarea.getAttribute("data-prefix-api"),
    showQueryButton: false,
    persistenceId: null,
    resizeable: true,
    editorHeight: "22rem"
  });
  // The endpoint predeclares our prefixes; write the ones the query uses into it, so
  // that the editor (which checks prefixes) and anyone copying the query agree.
  var known = JSON.parse(textarea.getAttribute("data-prefixes") || "{}");
  var missing = {};
  var text = yasqe.getValue();
  Object.keys(known).forEach(function (name) {
    var used = new RegExp("(^|[^\\w:<#?$-])" + name + ":", "m").test(text);
    var declared = new RegExp("PREFIX\\s+" + name + ":", "i").test(text);
    if (used && !declared) {
      missing[name] = known[name];
    }
  });
  if (Object.keys(missing).length && typeof yasqe.addPrefixes === "function") {
    yasqe.addPrefixes(missing);
  }
  var submit = function () {
    textarea.value = yasqe.getValue();
    form.submit();
  };
  yasqe.addKeyMap({ "Ctrl-Enter": submit, "Cmd-Enter": submit });
  form.addEventListener("submit", function () {
    textarea.value = yasqe.getValue();
  });
  // A syntax error: put the cursor where it is and mark its line.
  var errorLine = parseInt(textarea.getAttribute("data-error-line"), 10);
  var errorColumn = parseInt(textarea.getAttribute("data-error-column"), 10);
  if (errorLine > 0) {
    var shift = yasqe.getValue().split("\n").length - textarea.value.split("\n").length;
    var line = errorLine - 1 + Math.max(0, shift);
    yasqe.addLineClass(line, "background", "sparql-error-line");
    yasqe.setCursor({ line: line, ch: Math.max(0, errorColumn - 1) });
    yasqe.focus();
  }
  document.documentElement.classList.add("has-yasqe");
})();
