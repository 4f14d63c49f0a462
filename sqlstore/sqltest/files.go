package sqltest

import (
	"database/sql"
	"fmt"
	"sort"
	"strings"
	"testing"
)

// TableCounts returns the number of rows of every table of the SQLite file
// path, read-only.
func TableCounts(t testing.TB, path string) map[string]int {
	t.Helper()
	out := map[string]int{}
	for name, rows := range dump(t, path, "count(*)", "") {
		var n int
		fmt.Sscan(rows[0], &n)
		out[name] = n
	}
	return out
}

// Dump returns every row of every table of the SQLite file path, read-only,
// as text ordered by all its columns, and the schema under "sqlite_master":
// two files with equal dumps hold the same data.
func Dump(t testing.TB, path string) map[string][]string {
	t.Helper()
	return dump(t, path, "*", "ORDER BY ")
}

// dump reads SELECT what FROM each table (ordered by its columns when
// order is "ORDER BY ").
func dump(t testing.TB, path, what, order string) map[string][]string {
	t.Helper()
	db, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	names := column(t, db, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
	out := map[string][]string{}
	if order != "" {
		out["sqlite_master"] = column(t, db, "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name")
	}
	for _, n := range names {
		q := `SELECT ` + what + ` FROM "` + n + `"`
		if order != "" {
			cols := column(t, db, `SELECT cid + 1 FROM pragma_table_info('`+n+`') ORDER BY cid`)
			q += " " + order + strings.Join(cols, ", ")
		}
		out[n] = rowsText(t, db, q)
	}
	return out
}

// column returns the first column of a query's rows, as text.
func column(t testing.TB, db *sql.DB, q string) []string {
	t.Helper()
	var out []string
	for _, r := range rowsText(t, db, q) {
		out = append(out, strings.SplitN(r, "\x1f", 2)[0])
	}
	return out
}

// rowsText returns a query's rows, each as its columns' text joined by
// the unit separator (NULL as \x00).
func rowsText(t testing.TB, db *sql.DB, q string) []string {
	t.Helper()
	rows, err := db.Query(q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	var out []string
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = "\x00"
			if v.Valid {
				parts[i] = v.String
			}
		}
		out = append(out, strings.Join(parts, "\x1f"))
	}
	if err := rows.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out
}

// DumpDiff describes the first difference of two dumps ("" when equal).
func DumpDiff(a, b map[string][]string) string {
	for _, n := range sortedKeys(a, b) {
		ra, rb := a[n], b[n]
		for i := 0; i < len(ra) || i < len(rb); i++ {
			switch {
			case i >= len(ra):
				return fmt.Sprintf("table %s: row %d only in the second: %q", n, i+1, rb[i])
			case i >= len(rb):
				return fmt.Sprintf("table %s: row %d only in the first: %q", n, i+1, ra[i])
			case ra[i] != rb[i]:
				return fmt.Sprintf("table %s, row %d:\n first  %q\n second %q", n, i+1, ra[i], rb[i])
			}
		}
	}
	return ""
}

func sortedKeys(a, b map[string][]string) []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range []map[string][]string{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				out = append(out, k)
			}
		}
	}
	sort.Strings(out)
	return out
}
