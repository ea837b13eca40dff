package ui

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ladder-crm/ladder/internal/app"
	"github.com/ladder-crm/ladder/internal/crm"
	"github.com/ladder-crm/ladder/internal/importer"
)

// The import wizard: upload (entity, dedup mode, file) → columns (the guessed mapping with
// sample values) → preview of the first rows (nothing written) → start → the job's page,
// which polls its own progress every second until the worker finishes and then shows the
// row outcomes. Every step is a plain form post, so the wizard works without JavaScript.

// importOutcomeRows is how many errors and duplicates the result page lists; the CSV report
// has them all.
const importOutcomeRows = 100

func (u *UI) registerImportScreens(page pageFunc) {
	page("GET /import", u.importHome)
	page("POST /import", u.importUpload)
	page("GET /import/{id}", u.importJobPage)
	page("GET /import/{id}/mapping", u.importMapping)
	page("POST /import/{id}/mapping", u.importMappingSave)
	page("GET /import/{id}/preview", u.importPreview)
	page("POST /import/{id}/start", u.importStart)
	page("POST /import/{id}/cancel", u.importCancel)
	page("GET /import/{id}/report", u.importReport)
}

// importHomeData is the upload form and the job history.
type importHomeData struct {
	CanUpload    bool
	Entities     []option
	Dedups       []option
	Directorates []option
	Errors       map[string]string // field → translated problem
	Jobs         []importJobLine
	Next         string
}

type importJobLine struct {
	ID       int64
	Href     string
	FileName string
	Entity   string
	Status   string
	Badge    string
	Done     string
	Created  string
}

func (u *UI) importHomeData(r *http.Request, entity, dedup string) (*importHomeData, error) {
	ctx := r.Context()
	d := &importHomeData{CanUpload: u.app.Allowed(ctx, app.ActCreate, crm.EntityImport), Errors: map[string]string{}}
	for _, e := range crm.ImportEntities {
		if u.app.Allowed(ctx, app.ActCreate, e) {
			d.Entities = append(d.Entities, option{Value: e, Label: u.t(r, "import.entity."+e), Selected: e == entity})
		}
	}
	d.CanUpload = d.CanUpload && len(d.Entities) > 0
	d.Dedups = u.dedupOptions(r, dedup)
	d.Directorates = append([]option{{Value: "", Label: u.t(r, "import.directorate_default")}}, u.directorateOptions(ctx)...)
	page, err := u.app.ListImportJobs(ctx, crm.PageRequest{After: r.URL.Query().Get("after")})
	if err != nil {
		return nil, err
	}
	lang, loc := u.lang(r), userLocation(ctx)
	for _, j := range page.Items {
		d.Jobs = append(d.Jobs, importJobLine{ID: j.ID, Href: "/import/" + formatID(j.ID), FileName: j.FileName,
			Entity: u.t(r, "import.entity."+j.Entity), Status: u.t(r, "import.status."+string(j.Status)), Badge: importBadge(j.Status),
			Done:    u.t(r, "import.progress", "Done", countText(lang, j.RowsDone), "Total", countText(lang, j.RowsTotal)),
			Created: formatDateTime(lang, j.CreatedAt, loc)})
	}
	d.Next = page.Next
	return d, nil
}

func (u *UI) dedupOptions(r *http.Request, selected string) []option {
	if !crm.DedupMode(selected).Valid() {
		selected = string(crm.DedupSkip)
	}
	var out []option
	for _, m := range []crm.DedupMode{crm.DedupSkip, crm.DedupUpdate, crm.DedupCreate} {
		out = append(out, option{Value: string(m), Label: u.t(r, "import.dedup."+string(m)), Selected: string(m) == selected})
	}
	return out
}

func importBadge(s crm.ImportStatus) string {
	switch s {
	case crm.ImportDone:
		return "green"
	case crm.ImportFailed:
		return "red"
	case crm.ImportCancelled:
		return "secondary"
	case crm.ImportRunning, crm.ImportQueued:
		return "blue"
	}
	return "yellow"
}

// countText writes a count as Russian typography does (four digits unspaced, 10 000 and up
// grouped), English with commas.
func countText(lang string, n int64) string {
	if lang == "ru" && n < 10000 && n > -10000 {
		return strconv.FormatInt(n, 10)
	}
	return formatInt(lang, n)
}

func (u *UI) importHome(w http.ResponseWriter, r *http.Request) {
	d, err := u.importHomeData(r, r.URL.Query().Get("entity"), r.URL.Query().Get("dedup"))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	u.render(w, r, http.StatusOK, "import.html", u.newView(r, "import.title", "admin", d))
}

func (u *UI) importUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, app.MaxImportFile+uploadSlack)
	entity, dedup := "", ""
	fail := func(field, key string, status int) {
		d, err := u.importHomeData(r, entity, dedup)
		if err != nil {
			u.fail(w, r, err)
			return
		}
		d.Errors[field] = u.t(r, key)
		u.render(w, r, status, "import.html", u.newView(r, "import.title", "admin", d))
	}
	if err := r.ParseMultipartForm(32 << 20); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fail("file", "import.err.file_too_big", http.StatusRequestEntityTooLarge)
			return
		}
		fail("file", "import.err.file_empty", http.StatusUnprocessableEntity)
		return
	}
	defer func() { _ = r.MultipartForm.RemoveAll() }()
	entity, dedup = r.FormValue("entity"), r.FormValue("dedup")
	if !crm.DedupMode(dedup).Valid() {
		dedup = string(crm.DedupSkip)
	}
	file, hdr, err := r.FormFile("file")
	if err != nil {
		fail("file", "import.err.file_empty", http.StatusUnprocessableEntity)
		return
	}
	defer file.Close()
	data, err := io.ReadAll(io.LimitReader(file, app.MaxImportFile+1))
	if err != nil {
		u.fail(w, r, err)
		return
	}
	dir, _ := strconv.ParseInt(r.FormValue("directorate_id"), 10, 64)
	j, err := u.app.CreateImport(r.Context(), entity, hdr.Filename, data, dir)
	if err != nil {
		if crm.ErrorCode(err) == crm.EInvalid {
			for field, key := range crm.ErrorFields(err) {
				fail(field, key, http.StatusUnprocessableEntity)
				return
			}
		}
		u.fail(w, r, err)
		return
	}
	if dedup != string(j.Dedup) {
		if _, err := u.app.SetImportDedup(r.Context(), j.ID, j.Version, crm.DedupMode(dedup)); err != nil {
			u.fail(w, r, err)
			return
		}
	}
	redirect(w, r, "/import/"+formatID(j.ID)+"/mapping")
}

// importJob reads the job of the request's {id}.
func (u *UI) importJob(w http.ResponseWriter, r *http.Request) (*crm.ImportJob, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil {
		u.notFound(w, r)
		return nil, false
	}
	j, err := u.app.ImportJob(r.Context(), id)
	if err != nil {
		u.fail(w, r, err)
		return nil, false
	}
	return j, true
}

// importMappingData is the columns screen.
type importMappingData struct {
	Job       *crm.ImportJob
	Entity    string // translated
	RowsTotal string
	Columns   []importColumn
	Dedups    []option
	Prior     string // "" or the notice that the file was imported before
	Error     string // a problem of the mapping as a whole
}

type importColumn struct {
	Index   int
	Name    string // the file's title
	Samples []string
	Options []option
	Error   string
}

func (u *UI) importMapping(w http.ResponseWriter, r *http.Request) {
	j, ok := u.importJob(w, r)
	if !ok {
		return
	}
	if j.Status != crm.ImportUploaded && j.Status != crm.ImportPreviewed {
		redirect(w, r, "/import/"+formatID(j.ID))
		return
	}
	u.renderMapping(w, r, j, j.Mapping, string(j.Dedup), nil, http.StatusOK)
}

func (u *UI) renderMapping(w http.ResponseWriter, r *http.Request, j *crm.ImportJob, mapping []string, dedup string, problems map[string]string, status int) {
	head, err := u.app.ImportHead(r.Context(), j, 3)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	lang := u.lang(r)
	d := &importMappingData{Job: j, Entity: u.t(r, "import.entity."+j.Entity), Dedups: u.dedupOptions(r, dedup),
		RowsTotal: u.t(r, "import.rows_total", "Count", countText(lang, j.RowsTotal))}
	if head.Prior != nil {
		d.Prior = u.t(r, "import.prior", "When", formatDateTime(lang, head.Prior.CreatedAt, userLocation(r.Context())))
	}
	for i, title := range head.Header {
		c := importColumn{Index: i, Name: title}
		for _, s := range head.Samples {
			if i < len(s) && strings.TrimSpace(s[i]) != "" {
				c.Samples = append(c.Samples, s[i])
			}
		}
		cur := ""
		if i < len(mapping) {
			cur = mapping[i]
		}
		c.Options = append(c.Options, option{Value: "", Label: u.t(r, "import.ignore"), Selected: cur == ""})
		for _, f := range importer.Fields[j.Entity] {
			c.Options = append(c.Options, option{Value: f.Key, Label: u.t(r, f.Label), Selected: f.Key == cur})
		}
		if key := problems["col"+strconv.Itoa(i)]; key != "" {
			c.Error = u.t(r, key)
		}
		d.Columns = append(d.Columns, c)
	}
	for field, key := range problems {
		if !strings.HasPrefix(field, "col") {
			d.Error = u.t(r, key)
		}
	}
	u.render(w, r, status, "import_mapping.html", u.newView(r, "import.mapping_title", "admin", d))
}

func (u *UI) importMappingSave(w http.ResponseWriter, r *http.Request) {
	j, ok := u.importJob(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		u.errorPage(w, r, http.StatusBadRequest, "err.validation")
		return
	}
	width, _ := strconv.Atoi(r.PostForm.Get("columns"))
	if width < 0 || width > 10000 {
		width = 0
	}
	mapping := make([]string, width)
	for i := range mapping {
		mapping[i] = r.PostForm.Get("col" + strconv.Itoa(i))
	}
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	dedup := r.PostForm.Get("dedup")
	_, err := u.app.SetImportMapping(r.Context(), j.ID, version, mapping, crm.DedupMode(dedup))
	switch {
	case err == nil:
		redirect(w, r, "/import/"+formatID(j.ID)+"/preview")
	case crm.ErrorCode(err) == crm.EInvalid:
		u.renderMapping(w, r, j, mapping, dedup, crm.ErrorFields(err), http.StatusUnprocessableEntity)
	case crm.ErrorCode(err) == crm.EConflict:
		u.flash(r, "danger", "err.stale_version")
		redirect(w, r, "/import/"+formatID(j.ID))
	default:
		u.fail(w, r, err)
	}
}

// importPreviewData is the preview screen: what the first rows would become.
type importPreviewData struct {
	Job     *crm.ImportJob
	Title   string
	Header  []string // the mapped columns' titles
	Rows    []importPreviewRow
	Counts  string
	Entity  string
	Mapping string // back link
}

type importPreviewRow struct {
	Row     int64
	Cells   []string
	Outcome string
	Badge   string
	Href    string // the matched record
	Detail  string // match or problems
}

func (u *UI) importPreview(w http.ResponseWriter, r *http.Request) {
	j, ok := u.importJob(w, r)
	if !ok {
		return
	}
	if j.Status != crm.ImportPreviewed {
		redirect(w, r, "/import/"+formatID(j.ID)+"/mapping")
		return
	}
	rows, err := u.app.PreviewImport(r.Context(), j.ID, app.ImportPreviewRows)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	head, err := u.app.ImportHead(r.Context(), j, 0)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	var cols []int
	d := &importPreviewData{Job: j, Entity: u.t(r, "import.entity."+j.Entity), Title: u.t(r, "import.preview_title", "Count", len(rows))}
	for i, f := range j.Mapping {
		if f != "" && i < len(head.Header) {
			cols = append(cols, i)
			d.Header = append(d.Header, head.Header[i])
		}
	}
	var created, dup, bad int
	for _, p := range rows {
		pr := importPreviewRow{Row: p.Row, Outcome: u.t(r, "import.outcome."+string(p.Outcome)), Badge: outcomeBadge(p.Outcome)}
		for _, c := range cols {
			v := ""
			if c < len(p.Cells) {
				v = p.Cells[c]
			}
			pr.Cells = append(pr.Cells, v)
		}
		switch p.Outcome {
		case crm.RowCreated:
			created++
		case crm.RowDuplicate, crm.RowUpdated:
			dup++
			pr.Detail = u.t(r, "import.match."+p.Match)
			pr.Href = importRecordHref(j.Entity, p.RecordID)
		case crm.RowError:
			bad++
			pr.Detail = u.problemText(r, j.Entity, p.Problems)
		}
		d.Rows = append(d.Rows, pr)
	}
	d.Counts = u.t(r, "import.preview_counts", "New", created, "Dup", dup, "Err", bad)
	u.render(w, r, http.StatusOK, "import_preview.html", u.newView(r, "import.preview", "admin", d))
}

func outcomeBadge(o crm.RowOutcome) string {
	switch o {
	case crm.RowCreated:
		return "green"
	case crm.RowUpdated:
		return "blue"
	case crm.RowDuplicate:
		return "yellow"
	}
	return "red"
}

// importRecordHref is the card of an imported or matched record.
func importRecordHref(entity string, id *int64) string {
	if id == nil {
		return ""
	}
	base := map[string]string{crm.EntityCompany: "/companies/", crm.EntityContact: "/contacts/", crm.EntityDeal: "/deals/"}[entity]
	if base == "" {
		return ""
	}
	return base + formatID(*id)
}

// problemText is a row's problems as one line: "INN: the INN is wrong; Phone: …".
func (u *UI) problemText(r *http.Request, entity string, problems map[string]string) string {
	fields := make([]string, 0, len(problems))
	for f := range problems {
		fields = append(fields, f)
	}
	slices.Sort(fields)
	parts := make([]string, 0, len(fields))
	for _, f := range fields {
		label := "import.field." + f
		if fd, ok := importer.FieldOf(entity, f); ok {
			label = fd.Label
		}
		name := u.t(r, label)
		if name == label {
			name = f
		}
		parts = append(parts, name+": "+u.t(r, problems[f]))
	}
	return strings.Join(parts, "; ")
}

func (u *UI) importStart(w http.ResponseWriter, r *http.Request) {
	j, ok := u.importJob(w, r)
	if !ok {
		return
	}
	version, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if _, err := u.app.StartImport(r.Context(), j.ID, version); err != nil {
		if crm.ErrorCode(err) == crm.EConflict {
			u.flash(r, "danger", "err.stale_version")
			redirect(w, r, "/import/"+formatID(j.ID))
			return
		}
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "import.started")
	redirect(w, r, "/import/"+formatID(j.ID))
}

func (u *UI) importCancel(w http.ResponseWriter, r *http.Request) {
	j, ok := u.importJob(w, r)
	if !ok {
		return
	}
	if err := u.app.CancelImport(r.Context(), j.ID); err != nil {
		u.fail(w, r, err)
		return
	}
	u.flash(r, "success", "import.cancelled")
	redirect(w, r, "/import/"+formatID(j.ID))
}

// importJobData is the job page: progress while it runs, the outcomes once it ended.
type importJobData struct {
	Job         *crm.ImportJob
	Entity      string
	Status      string
	Badge       string
	Finished    bool
	Running     bool // the page polls
	Percent     int
	Progress    string
	Counts      []importCount
	RecordLabel string // "Contact" of "Contact #12"
	Reason      string
	Errors      []importOutcomeLine
	Duplicates  []importOutcomeLine
	More        bool
	ListHref    string
	CanCancel   bool
	NeedsSetup  bool // uploaded or checked, not started: back to the wizard
}

type importCount struct {
	Label string
	Value string
	ID    string
}

type importOutcomeLine struct {
	Row      int64
	RecordID int64
	Href     string
	Detail   string
}

func (u *UI) importJobPage(w http.ResponseWriter, r *http.Request) {
	j, ok := u.importJob(w, r)
	if !ok {
		return
	}
	d, err := u.importJobData(r, j)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	v := u.newView(r, "", "admin", d)
	v.Title = u.t(r, "import.progress_title", "Name", j.FileName)
	u.partial(w, r, "import_job.html", v, "import-job")
}

func (u *UI) importJobData(r *http.Request, j *crm.ImportJob) (*importJobData, error) {
	lang := u.lang(r)
	d := &importJobData{Job: j, Entity: u.t(r, "import.entity."+j.Entity), Status: u.t(r, "import.status."+string(j.Status)),
		Badge: importBadge(j.Status), Finished: j.Status.Finished(),
		Running:    j.Status == crm.ImportQueued || j.Status == crm.ImportRunning,
		NeedsSetup: j.Status == crm.ImportUploaded || j.Status == crm.ImportPreviewed,
		Progress:   u.t(r, "import.progress", "Done", countText(lang, j.RowsDone), "Total", countText(lang, j.RowsTotal)),
		ListHref:   map[string]string{crm.EntityCompany: "/companies", crm.EntityContact: "/contacts", crm.EntityDeal: "/deals"}[j.Entity]}
	d.CanCancel = !d.Finished
	d.RecordLabel = u.t(r, "import.record."+j.Entity)
	if j.RowsTotal > 0 {
		d.Percent = int(min(100, j.RowsDone*100/j.RowsTotal))
	} else if d.Finished {
		d.Percent = 100
	}
	d.Counts = []importCount{
		{ID: "created", Label: u.t(r, "import.count.created"), Value: countText(lang, j.Created)},
		{ID: "updated", Label: u.t(r, "import.count.updated"), Value: countText(lang, j.Updated)},
		{ID: "duplicates", Label: u.t(r, "import.count.duplicates"), Value: countText(lang, j.Duplicates)},
		{ID: "errors", Label: u.t(r, "import.count.errors"), Value: countText(lang, j.Errors)},
	}
	if j.Status == crm.ImportFailed {
		reason := u.t(r, j.Error)
		d.Reason = u.t(r, "import.failed_reason", "Reason", reason)
	}
	if !d.Finished && j.RowsDone == 0 {
		return d, nil
	}
	ctx := r.Context()
	for _, oc := range []crm.RowOutcome{crm.RowError, crm.RowDuplicate} {
		rows, err := u.app.ImportRowOutcomes(ctx, j.ID, oc, 0, importOutcomeRows+1)
		if err != nil {
			return nil, err
		}
		if len(rows) > importOutcomeRows {
			rows, d.More = rows[:importOutcomeRows], true
		}
		for _, x := range rows {
			line := importOutcomeLine{Row: x.RowNo, RecordID: derefID(x.RecordID), Href: importRecordHref(j.Entity, x.RecordID), Detail: u.outcomeDetail(r, j.Entity, x)}
			if oc == crm.RowError {
				d.Errors = append(d.Errors, line)
			} else {
				d.Duplicates = append(d.Duplicates, line)
			}
		}
	}
	return d, nil
}

// outcomeDetail says why a row is an error or a duplicate.
func (u *UI) outcomeDetail(r *http.Request, entity string, x crm.ImportRow) string {
	switch x.Outcome {
	case crm.RowError:
		var p map[string]string
		if err := json.Unmarshal([]byte(x.Message), &p); err != nil || len(p) == 0 {
			return x.Message
		}
		return u.problemText(r, entity, p)
	case crm.RowDuplicate, crm.RowUpdated:
		if x.Message != "" {
			return u.t(r, "import.match."+x.Message)
		}
	}
	return ""
}

// importReport downloads a job's row outcomes as CSV (outcome= error, duplicate or all).
func (u *UI) importReport(w http.ResponseWriter, r *http.Request) {
	j, ok := u.importJob(w, r)
	if !ok {
		return
	}
	oc := crm.RowOutcome(r.URL.Query().Get("outcome"))
	switch oc {
	case "", crm.RowCreated, crm.RowUpdated, crm.RowDuplicate, crm.RowError:
	default:
		u.errorPage(w, r, http.StatusUnprocessableEntity, "err.validation")
		return
	}
	ctx := r.Context()
	first, err := u.app.ImportRowOutcomes(ctx, j.ID, oc, 0, 1000)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	name := strings.TrimSuffix(j.FileName, "."+j.Format) + "-" + string(oc)
	if oc == "" {
		name += "all"
	}
	h := w.Header()
	h.Set("Content-Type", importer.ContentType(importer.FormatCSV))
	h.Set("Content-Disposition", app.ContentDisposition(strings.TrimSuffix(name, "-")+".csv"))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	tw, err := importer.NewTableWriter(importer.FormatCSV, w)
	if err != nil {
		u.fail(w, r, err)
		return
	}
	err = tw.Write([]string{u.t(r, "import.report.row"), u.t(r, "import.report.outcome"), u.t(r, "import.report.record"), u.t(r, "import.report.problem")})
	for rows := first; err == nil && len(rows) > 0; {
		for _, x := range rows {
			record := ""
			if x.RecordID != nil {
				record = formatID(*x.RecordID)
				if href := importRecordHref(j.Entity, x.RecordID); href != "" {
					record = absoluteURL(r, href)
				}
			}
			if err = tw.Write([]string{strconv.FormatInt(x.RowNo, 10), u.t(r, "import.outcome."+string(x.Outcome)), record,
				u.outcomeDetail(r, j.Entity, x)}); err != nil {
				break
			}
		}
		if err != nil || len(rows) < 1000 {
			break
		}
		rows, err = u.app.ImportRowOutcomes(ctx, j.ID, oc, rows[len(rows)-1].RowNo, 1000)
	}
	if err == nil {
		err = tw.Close()
	}
	if err != nil {
		u.log.Warn("import report cut short", "job", j.ID, "err", err)
	}
}

// absoluteURL makes a link in a downloaded file clickable from a spreadsheet.
func absoluteURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil || r.Header.Get("X-Forwarded-Proto") == "https" {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

func derefID(id *int64) int64 {
	if id == nil {
		return 0
	}
	return *id
}
