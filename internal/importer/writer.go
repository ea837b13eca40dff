package importer

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"strings"

	"github.com/xuri/excelize/v2"
)

// TableWriter writes an export: a header row, then rows of text cells.
type TableWriter interface {
	Write(cells []string) error
	// Close finishes the file (XLSX is written out here).
	Close() error
}

// ContentType is the MIME type of an export format.
func ContentType(format string) string {
	if format == FormatXLSX {
		return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	return "text/csv; charset=utf-8"
}

// NewTableWriter starts an export in format to w.
//
// CSV is UTF-8 with a byte-order mark and ';' between cells: Russian Excel opens such a file
// by double click with Cyrillic intact (the BOM tells it UTF-8; without one it reads
// Windows-1251) and splits it into columns (its list separator is ';', as the decimal mark
// is ','). LibreOffice and Google Sheets read it as well.
func NewTableWriter(format string, w io.Writer) (TableWriter, error) {
	switch format {
	case FormatCSV:
		bw := bufio.NewWriter(w)
		if _, err := bw.WriteString("\ufeff"); err != nil {
			return nil, err
		}
		c := csv.NewWriter(bw)
		c.Comma, c.UseCRLF = ';', true
		return &csvWriter{c: c, bw: bw}, nil
	case FormatXLSX:
		f := excelize.NewFile()
		sw, err := f.NewStreamWriter("Sheet1")
		if err != nil {
			return nil, err
		}
		return &xlsxWriter{f: f, sw: sw, w: w}, nil
	}
	return nil, ErrFormat
}

// SafeCell defuses formula injection: a cell a spreadsheet would take for a formula (it
// starts with = + - @, or a tab or carriage return that some programs skip before one) gets
// a leading apostrophe, which spreadsheets show as text and do not evaluate.
func SafeCell(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '=', '+', '-', '@', '\t', '\r':
		return "'" + s
	}
	return s
}

type csvWriter struct {
	c  *csv.Writer
	bw *bufio.Writer
}

func (w *csvWriter) Write(cells []string) error {
	safe := make([]string, len(cells))
	for i, c := range cells {
		safe[i] = SafeCell(c)
	}
	return w.c.Write(safe)
}

func (w *csvWriter) Close() error {
	w.c.Flush()
	if err := w.c.Error(); err != nil {
		return err
	}
	return w.bw.Flush()
}

type xlsxWriter struct {
	f   *excelize.File
	sw  *excelize.StreamWriter
	w   io.Writer
	row int
}

func (w *xlsxWriter) Write(cells []string) error {
	w.row++
	vals := make([]any, len(cells))
	for i, c := range cells {
		// Every cell is a string cell, so nothing is evaluated; the apostrophe keeps the text
		// the same as in the CSV and safe when the sheet is saved as CSV again.
		vals[i] = SafeCell(strings.ToValidUTF8(c, "\uFFFD"))
	}
	cell, err := excelize.CoordinatesToCellName(1, w.row)
	if err != nil {
		return err
	}
	return w.sw.SetRow(cell, vals)
}

func (w *xlsxWriter) Close() error {
	defer w.f.Close()
	if err := w.sw.Flush(); err != nil {
		return err
	}
	if _, err := w.f.WriteTo(w.w); err != nil {
		return fmt.Errorf("write xlsx: %w", err)
	}
	return nil
}
