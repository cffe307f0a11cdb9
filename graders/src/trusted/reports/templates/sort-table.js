// Sorts a table[data-sortable] by the column whose header button is pressed. Cells sort by their
// data-sort-value (or their text); headers with data-sort="number" compare numerically. Empty
// values go last in both directions; ties keep the original (by id) order.
(function () {
  var status = document.getElementById('sort-status');
  document.querySelectorAll('table[data-sortable]').forEach(function (table) {
    var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    var position = new Map(rows.map(function (row, index) { return [row, index]; }));
    headers.forEach(function (header, column) {
      var button = header.querySelector('button');
      if (!button) return;
      button.addEventListener('click', function () {
        var direction = header.getAttribute('aria-sort') === 'ascending' ? 'descending' : 'ascending';
        var numeric = header.getAttribute('data-sort') === 'number';
        var sign = direction === 'ascending' ? 1 : -1;
        var value = function (row) {
          var cell = row.cells[column];
          var raw = cell.hasAttribute('data-sort-value') ? cell.getAttribute('data-sort-value') : cell.textContent.trim();
          return raw === '' ? null : numeric ? Number(raw) : raw;
        };
        var sorted = rows.slice().sort(function (a, b) {
          var x = value(a);
          var y = value(b);
          if (x === null || y === null) {
            if (x !== y) return x === null ? 1 : -1;
          } else {
            var order = numeric ? x - y : x.localeCompare(y, undefined, { numeric: true, sensitivity: 'base' });
            if (order !== 0) return order * sign;
          }
          return position.get(a) - position.get(b);
        });
        headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
        header.setAttribute('aria-sort', direction);
        sorted.forEach(function (row) { body.appendChild(row); });
        if (status) status.textContent = 'Sorted by ' + (header.getAttribute('data-label') || button.textContent.trim()) + ', ' + direction + '.';
      });
    });
  });
})();
