package main

import (
	"bytes"
	"context"
	"os"
	"time"

	"coalition"
	"coalition/brief"
	"coalition/report"
)

func runBrief(ctx context.Context, e *env, args []string) error {
	c := newStoreCommand(e, "brief", "brief (--coalition COW2025 | --country ISO3) [--since YYYY-MM-DD] [--as-of YYYY-MM-DD] [--format md|html|pdf] [--paper A4|Letter] [-o FILE] [--json] [--db ...]",
		"coalition brief --coalition COW2025 --since 2026-11-01 -o brief.html", "print the brief's figures as JSON")
	fs := c.fs
	coal := fs.String("coalition", "", "the coalition the brief is for")
	country := fs.String("country", "", "the country the brief is for (ISO3)")
	sinceS := fs.String("since", "", "changes and engagements since this day (YYYY-MM-DD); default 30 days before --as-of")
	asOfS := fs.String("as-of", "", "the day the brief is written for (YYYY-MM-DD); default today (UTC)")
	format := fs.String("format", "", "md, html or pdf; default from -o's extension, else md")
	paper := fs.String("paper", brief.PaperA4, "the PDF's paper: A4 or Letter")
	out := fs.String("o", "", "write to this file instead of standard output")
	var opt report.BriefOptions
	s, _, err := c.open(ctx, e, args, func(pos []string) error {
		if len(pos) > 0 {
			return usagef("brief: unexpected argument %q", pos[0])
		}
		if (*coal == "") == (*country == "") {
			return usagef("brief: give --coalition or --country (one of them)")
		}
		var err error
		if opt.Since, err = optionalDate("since", *sinceS); err != nil {
			return err
		}
		if opt.AsOf, err = optionalDate("as-of", *asOfS); err != nil {
			return err
		}
		if *format == "" {
			*format = brief.FormatOf(*out)
		}
		if *paper != brief.PaperA4 && *paper != brief.PaperLetter {
			return coalition.FieldError("paper", "%q is not one of A4, Letter", *paper)
		}
		return brief.CheckFormat(*format)
	})
	if err != nil {
		return err
	}
	defer s.Close()
	warnStale(ctx, e, s, "brief")
	if opt.AsOf.IsZero() {
		opt.AsOf = coalition.DateOf(time.Now().UTC())
	}
	opt.Coalition, opt.Country = *coal, *country
	rep, err := report.Brief(ctx, s, opt)
	if err != nil {
		return err
	}
	return c.print(e, rep, func() error {
		var buf bytes.Buffer
		if err := brief.Render(&buf, *format, *paper, rep); err != nil {
			return err
		}
		if *out == "" {
			_, err := e.stdout.Write(buf.Bytes())
			return err
		}
		return os.WriteFile(*out, buf.Bytes(), 0o644)
	})
}
