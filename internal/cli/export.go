package cli

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/importer"
)

// runExport writes companies, contacts or deals to a CSV or XLSX file (or stdout): every live
// record, or those the list search --q finds. The columns are what the import reads back.
func runExport(env *Env, args []string) error {
	fs, d := newFlagSet(env, "export", "companies|contacts|deals [--format csv|xlsx] [--q TEXT] [-o FILE]")
	format := fs.String("format", "csv", "csv (UTF-8 with BOM, ';', opens in Russian Excel) or xlsx")
	q := fs.String("q", "", "export only records the list search finds by this text")
	out := fs.String("o", "", "output file (default: standard output)")
	pos, err := parseInterleaved(fs, args, 1)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("want an entity: companies, contacts or deals")
	}
	entity, ok := cliEntities[pos[0]]
	if !ok {
		return usagef("unknown entity %q: use companies, contacts or deals", pos[0])
	}
	if *format != importer.FormatCSV && *format != importer.FormatXLSX {
		return usagef("--format must be csv or xlsx")
	}
	db, err := d.open(env.Ctx, quietLog())
	if err != nil {
		return err
	}
	defer db.Close()
	a := app.New(db, quietLog())
	var w io.Writer = env.Stdout
	var f *os.File
	if *out != "" && *out != "-" {
		if f, err = os.Create(*out); err != nil {
			return err
		}
		defer f.Close()
		w = f
	}
	bw := bufio.NewWriterSize(w, 1<<16)
	n, err := a.Export(withSystem(env.Ctx), entity, app.ExportFilter{Q: *q}, *format, bw, func(col string) string { return col })
	if err != nil {
		return err
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if f != nil {
		if err := f.Close(); err != nil {
			return err
		}
		fmt.Fprintf(env.Stderr, "%d %s written to %s\n", n, pos[0], *out)
	}
	return nil
}
