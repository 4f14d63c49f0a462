package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"coalition"
	"coalition/ingest"
)

// runIngest reads news texts and government statements and prints what
// the extractor proposes. With --queue it stores each text and its
// proposals for review (coalition proposals); nothing enters the record
// until a person accepts a proposal.
func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "ingest", "ingest FILE... [--date YYYY-MM-DD] [--json] [--queue] [--db ...]",
		"coalition ingest article.txt --date 2025-03-01 --queue")
	dateFlag := fs.String("date", "", "the texts' date when a text states none (YYYY-MM-DD)")
	asJSON := fs.Bool("json", false, "print JSON (one object per file; an array for several files)")
	queue := fs.Bool("queue", false, "store the texts and their proposals in the review queue (as the local System operator)")
	db := dbFlag(fs)
	files, err := parseArgs(e, fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("ingest: give at least one FILE (run 'coalition ingest -h')")
	}
	var opt ingest.Options
	if *dateFlag != "" {
		d, err := coalition.ParseDate(*dateFlag)
		if err != nil {
			return coalition.FieldError("date", "%v", err)
		}
		opt.Date = d
	}
	kb, err := ingest.DefaultKB()
	if err != nil {
		return fmt.Errorf("ingest: knowledge base: %w", err)
	}
	if *queue {
		return queueFiles(ctx, e, *db, kb, files, opt.Date, *asJSON)
	}
	type result struct {
		File string `json:"file"`
		*ingest.Extraction
	}
	var results []result
	for _, f := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		b, err := os.ReadFile(f)
		if err != nil {
			return coalition.FieldError("FILE", "%v", err)
		}
		results = append(results, result{File: f, Extraction: ingest.Extract(string(b), kb, opt)})
	}
	if *asJSON {
		if len(results) == 1 {
			return printJSON(e.stdout, results[0].Extraction)
		}
		return printJSON(e.stdout, results)
	}
	for i, r := range results {
		if i > 0 {
			fmt.Fprintln(e.stdout)
		}
		printExtraction(e, r.File, r.Extraction)
	}
	return nil
}

func printExtraction(e *env, file string, x *ingest.Extraction) {
	w := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	defer w.Flush()
	d := x.Date.String()
	if d == "" {
		d = "unknown"
	}
	fmt.Fprintf(w, "%s\tdate %s\n", file, d)
	if len(x.People) > 0 {
		fmt.Fprintln(w, "\nPERSON\tROLE\tCOUNTRY\tMENTIONS")
		for _, p := range x.People {
			fmt.Fprintf(w, "%s\t%s\t%s\t%d\n", p.Name, dash(p.Role), p.Country, len(p.Spans))
		}
	}
	if len(x.Countries) > 0 || len(x.Organisations) > 0 {
		var cs, os []string
		for _, c := range x.Countries {
			cs = append(cs, c.Code)
		}
		for _, o := range x.Organisations {
			os = append(os, o.ID)
		}
		fmt.Fprintf(w, "\ncountries\t%s\norganisations\t%s\n", dash(strings.Join(cs, " ")), dash(strings.Join(os, " ")))
	}
	if len(x.Amounts) > 0 {
		fmt.Fprintln(w, "\nAMOUNT\tKIND\tWHY\tAT")
		for _, a := range x.Amounts {
			fmt.Fprintf(w, "%s\t%s\t%s\t%d–%d\n", a.Money.String(), a.Kind, a.Reason, a.Span[0], a.Span[1])
		}
	}
	if len(x.Proposals) > 0 {
		fmt.Fprintln(w, "\nPROPOSAL\tWHAT\tCONFIDENCE")
		for _, p := range x.Proposals {
			fmt.Fprintf(w, "%s\t%s\t%.2f\n", p.Type, describe(p), p.Confidence)
		}
	}
	if len(x.Flags) > 0 {
		fmt.Fprintln(w, "\nFLAG\tMESSAGE")
		for _, f := range x.Flags {
			fmt.Fprintf(w, "%s\t%s\n", f.Kind, f.Message)
		}
	}
}

func describe(p ingest.Proposal) string {
	switch p.Type {
	case ingest.ProposePledge:
		return fmt.Sprintf("%s → %s: %s %s", p.Donor, dash(p.Recipient), p.Amount.String(), p.Category)
	case ingest.ProposeMembership:
		return fmt.Sprintf("%s in %q (%s)", p.Country, p.Coalition, p.Status)
	case ingest.ProposeEquipment:
		return fmt.Sprintf("%s → %s: %d × %s (%s)", p.Donor, dash(p.Recipient), p.Quantity, p.System, p.Category)
	}
	s := p.Title
	if len(p.Topics) > 0 {
		s += " [" + strings.Join(p.Topics, ", ") + "]"
	}
	return s
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// queueFiles stores each file and its proposals for review.
func queueFiles(ctx context.Context, e *env, db string, kb *ingest.KB, files []string, date coalition.Date, asJSON bool) error {
	texts := make([]*coalition.IngestText, 0, len(files))
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return coalition.FieldError("FILE", "%v", err)
		}
		texts = append(texts, &coalition.IngestText{Title: filepath.Base(f), Text: string(b), Date: date, Source: "file:" + filepath.Base(f)})
	}
	s, err := openStore(ctx, e, db)
	if err != nil {
		return err
	}
	defer s.Close()
	if kb, err = ingest.KBFor(ctx, s, kb); err != nil {
		return err
	}
	type queued struct {
		Text      *coalition.IngestText `json:"text"`
		Proposals []*coalition.Proposal `json:"proposals"`
	}
	var out []queued
	for _, t := range texts {
		_, ps, err := ingest.Queue(ctx, s, kb, t)
		if err != nil {
			return fmt.Errorf("%s: %w", t.Title, err)
		}
		t.Text = "" // not repeated in the output
		out = append(out, queued{t, ps})
	}
	if asJSON {
		return printJSON(e.stdout, out)
	}
	w := table(e.stdout)
	fmt.Fprintln(w, "TEXT\tFILE\tDATE\tPROPOSALS")
	for _, q := range out {
		fmt.Fprintf(w, "%d\t%s\t%s\t%d\n", q.Text.ID, q.Text.Title, dash(q.Text.Date.String()), len(q.Proposals))
	}
	w.Flush()
	fmt.Fprintln(e.stdout, "\nReview them with 'coalition proposals' and 'coalition proposals accept|reject ID'.")
	return nil
}
