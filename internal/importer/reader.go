// Package importer reads CSV and XLSX files of companies, contacts and deals: it finds the
// header row, guesses which column holds which field, and turns each data row into a record
// or a list of per-field problems. It knows nothing of the database; internal/app runs it.
package importer

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/charmap"
)

// Formats a file can have.
const (
	FormatCSV  = "csv"
	FormatXLSX = "xlsx"
)

// Limits that keep one file from exhausting the server.
const (
	MaxColumns  = 200
	MaxCellSize = 10_000 // bytes; longer cells are a row error
)

// ErrFormat means the file is neither a readable CSV nor an XLSX workbook.
var ErrFormat = errors.New("importer: not a CSV or XLSX file")

// ErrNoHeader means the file has no non-empty first row to name its columns.
var ErrNoHeader = errors.New("importer: the file has no header row")

// RowError is a problem of one row as a whole (broken quoting, too many cells): the row
// imports nothing and the reader goes on with the next one.
type RowError struct{ Key string }

func (e *RowError) Error() string { return "importer: " + e.Key }

// Reader yields the data rows of a file one by one, numbered from 1 (the first row under the
// header); empty rows are skipped and not numbered, so numbering is the same on every read of
// the same file, which is what a resumed import relies on.
type Reader interface {
	Header() []string
	// Next returns the next row's number and cells (as many as the header has, padded), or a
	// *RowError for a malformed row (number still advances), or io.EOF.
	Next() (int64, []string, error)
	Close() error
}

// DetectFormat names a file's format by its content, falling back to the name's extension.
func DetectFormat(name string, data []byte) (string, error) {
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		return FormatXLSX, nil
	}
	ext := strings.ToLower(filepath.Ext(name))
	if ext == ".xlsx" || ext == ".xls" {
		return "", ErrFormat // an XLSX name without a zip inside, or legacy binary Excel
	}
	if bytes.IndexByte(data[:min(len(data), 8192)], 0) >= 0 {
		return "", ErrFormat // binary, not text
	}
	return FormatCSV, nil
}

// Open reads a file of the given format.
func Open(format string, data []byte) (Reader, error) {
	switch format {
	case FormatCSV:
		return openCSV(data)
	case FormatXLSX:
		return openXLSX(data)
	}
	return nil, ErrFormat
}

// DecodeText turns file bytes into UTF-8: UTF-8 with or without a BOM is kept, anything that
// is not valid UTF-8 is read as Windows-1251 (what Russian Excel saves as "CSV").
func DecodeText(data []byte) []byte {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	if utf8.Valid(data) {
		return data
	}
	out, err := charmap.Windows1251.NewDecoder().Bytes(data)
	if err != nil {
		return bytes.ToValidUTF8(data, []byte("\uFFFD"))
	}
	return out
}

// DetectDelimiter picks the separator of a CSV from its first line: the most frequent of
// ; , tab and | outside quotes (Russian Excel writes ';', most others ',').
func DetectDelimiter(text []byte) rune {
	line := text
	if i := bytes.IndexAny(text, "\r\n"); i >= 0 {
		line = text[:i]
	}
	counts := map[rune]int{}
	inQuotes := false
	for _, r := range string(line) {
		switch {
		case r == '"':
			inQuotes = !inQuotes
		case !inQuotes && (r == ';' || r == ',' || r == '\t' || r == '|'):
			counts[r]++
		}
	}
	best, n := ',', 0
	for _, r := range []rune{';', ',', '\t', '|'} {
		if counts[r] > n {
			best, n = r, counts[r]
		}
	}
	return best
}

type csvReader struct {
	r      *csv.Reader
	header []string
	n      int64
}

func openCSV(data []byte) (Reader, error) {
	text := DecodeText(data)
	c := csv.NewReader(bufio.NewReader(bytes.NewReader(text)))
	c.Comma = DetectDelimiter(text)
	c.FieldsPerRecord = -1
	c.ReuseRecord = false
	cr := &csvReader{r: c}
	for {
		rec, err := c.Read()
		if err == io.EOF {
			return nil, ErrNoHeader
		}
		if err != nil {
			return nil, fmt.Errorf("%w: header row: %v", ErrFormat, err)
		}
		if !emptyRow(rec) {
			if len(rec) > MaxColumns {
				return nil, fmt.Errorf("%w: more than %d columns", ErrFormat, MaxColumns)
			}
			cr.header = cleanHeader(rec)
			return cr, nil
		}
	}
}

func (c *csvReader) Header() []string { return c.header }
func (c *csvReader) Close() error     { return nil }

func (c *csvReader) Next() (int64, []string, error) {
	for {
		rec, err := c.r.Read()
		if err == io.EOF {
			return 0, nil, io.EOF
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				c.n++
				return c.n, nil, &RowError{Key: "import.err.row_malformed"}
			}
			return 0, nil, err
		}
		if emptyRow(rec) {
			continue
		}
		c.n++
		cells, rowErr := fitRow(rec, len(c.header))
		return c.n, cells, rowErr
	}
}

type xlsxReader struct {
	f      *excelize.File
	rows   *excelize.Rows
	header []string
	n      int64
}

func openXLSX(data []byte) (r Reader, err error) {
	// excelize panics on some malformed archives; a bad upload must be an error, not a crash.
	defer func() {
		if p := recover(); p != nil {
			r, err = nil, fmt.Errorf("%w: %v", ErrFormat, p)
		}
	}()
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: 1 << 30, UnzipXMLSizeLimit: 256 << 20})
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		f.Close()
		return nil, ErrNoHeader
	}
	rows, err := f.Rows(sheets[0])
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	x := &xlsxReader{f: f, rows: rows}
	for rows.Next() {
		rec, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			x.Close()
			return nil, fmt.Errorf("%w: %v", ErrFormat, err)
		}
		if !emptyRow(rec) {
			if len(rec) > MaxColumns {
				x.Close()
				return nil, fmt.Errorf("%w: more than %d columns", ErrFormat, MaxColumns)
			}
			x.header = cleanHeader(rec)
			return x, nil
		}
	}
	x.Close()
	if err := rows.Error(); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	return nil, ErrNoHeader
}

func (x *xlsxReader) Header() []string { return x.header }

func (x *xlsxReader) Close() error {
	if x.rows != nil {
		_ = x.rows.Close()
	}
	return x.f.Close()
}

func (x *xlsxReader) Next() (n int64, cells []string, err error) {
	defer func() {
		if p := recover(); p != nil {
			x.n++
			n, cells, err = x.n, nil, &RowError{Key: "import.err.row_malformed"}
		}
	}()
	for x.rows.Next() {
		rec, err := x.rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			x.n++
			return x.n, nil, &RowError{Key: "import.err.row_malformed"}
		}
		if emptyRow(rec) {
			continue
		}
		x.n++
		cells, rowErr := fitRow(rec, len(x.header))
		return x.n, cells, rowErr
	}
	if err := x.rows.Error(); err != nil {
		return 0, nil, err
	}
	return 0, nil, io.EOF
}

func emptyRow(rec []string) bool {
	for _, c := range rec {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// cleanHeader trims the names and names unnamed columns by position, so every column can be
// shown and mapped.
func cleanHeader(rec []string) []string {
	h := make([]string, len(rec))
	for i, s := range rec {
		s = strings.TrimSpace(strings.TrimPrefix(s, "\ufeff"))
		if !utf8.ValidString(s) {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
		if s == "" {
			s = fmt.Sprintf("#%d", i+1)
		}
		h[i] = s
	}
	return h
}

// fitRow pads a row to the header's width; cells beyond the header that hold something,
// invalid text or oversized cells make the row malformed.
func fitRow(rec []string, width int) ([]string, error) {
	cells := make([]string, width)
	for i, c := range rec {
		if i >= width {
			if strings.TrimSpace(c) != "" {
				return nil, &RowError{Key: "import.err.row_too_many_cells"}
			}
			continue
		}
		if len(c) > MaxCellSize {
			return nil, &RowError{Key: "import.err.cell_too_long"}
		}
		if !utf8.ValidString(c) {
			return nil, &RowError{Key: "import.err.row_malformed"}
		}
		cells[i] = strings.TrimSpace(c)
	}
	return cells, nil
}
