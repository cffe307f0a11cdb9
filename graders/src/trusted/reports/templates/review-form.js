// The review page's form: each item's points and comment become a row of manual-grades.csv
// (id,part,points,comment), which "Download manual-grades.csv" saves for `grade --manual`. Only answers
// with points make a row (a score already entered is filled in from the start); rows are ordered by
// id, then part, as in manual-grades.pending.csv; the id is guarded against spreadsheet formulas as
// in grades.csv (`grade` reads it back as the folder's name), and a field is quoted when it must be.
(function () {
  var form = document.getElementById('review-form');
  var status = document.getElementById('review-status');
  var progress = document.getElementById('review-progress');
  if (!form) return;
  var items = Array.prototype.slice.call(form.querySelectorAll('.review-item'));

  function guardFormula(text) {
    return /^(?:[\t\r\0]|[\s"']*[=+\-@])/.test(text) ? "'" + text : text;
  }
  function csvField(text) {
    return /[",;\t\r\n]|^\s|\s$/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  function fieldsOf(item) {
    return { points: item.querySelector('.review-points'), comment: item.querySelector('.review-comment') };
  }
  function scoredCount() {
    return items.filter(function (item) { return fieldsOf(item).points.value.trim() !== ''; }).length;
  }
  function showProgress() {
    if (progress) progress.textContent = scoredCount() + ' of ' + items.length + (items.length === 1 ? ' answer has' : ' answers have') + ' points.';
  }

  /** The rows, or null when a field is not valid (the browser then says which and why). */
  function rows() {
    var found = [];
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var fields = fieldsOf(item);
      var comment = fields.comment.value.trim();
      var noPoints = fields.points.value.trim() === '' && !fields.points.validity.badInput;
      fields.points.setCustomValidity(noPoints && comment !== '' ? 'Give points for this comment too: a row without points stays pending.' : '');
      if (!fields.points.checkValidity()) {
        fields.points.reportValidity();
        return null;
      }
      if (noPoints) continue;
      found.push({
        order: Number(item.getAttribute('data-order')),
        line: [csvField(guardFormula(item.getAttribute('data-id'))), csvField(guardFormula(item.getAttribute('data-part'))), String(Number(fields.points.value)), csvField(comment)].join(','),
      });
    }
    return found.sort(function (a, b) { return a.order - b.order; });
  }

  function download() {
    var found = rows();
    if (found === null) {
      status.textContent = 'Not downloaded: a field needs a change first (see the message beside it).';
      return;
    }
    if (found.length === 0) {
      status.textContent = 'Not downloaded: no answer has points yet.';
      return;
    }
    var text = ['id,part,points,comment'].concat(found.map(function (row) { return row.line; })).join('\r\n') + '\r\n';
    var url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
    var link = document.createElement('a');
    link.href = url;
    link.download = 'manual-grades.csv';
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 60000);
    status.textContent = 'Downloaded manual-grades.csv with ' + found.length + (found.length === 1 ? ' row.' : ' rows.');
  }

  form.addEventListener('submit', function (event) { event.preventDefault(); });
  form.addEventListener('input', function (event) {
    if (event.target.classList.contains('review-points')) event.target.setCustomValidity('');
    showProgress();
  });
  Array.prototype.forEach.call(document.querySelectorAll('.review-download'), function (button) {
    button.addEventListener('click', download);
  });
  showProgress();
})();
