package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"sort"
	"strings"

	"coalition"
)

// command is one subcommand. run receives the arguments after its name.
type command struct {
	summary string
	run     func(ctx context.Context, e *env, args []string) error
}

// commands lists every subcommand; each lives in a file of its own.
func commands() map[string]command {
	return map[string]command{
		"audit":       {"verify the audit log's hash chain, or list entries", runAudit},
		"brief":       {"a one-page meeting pack for a coalition or a country (Markdown, HTML or PDF)", runBrief},
		"burden":      {"solve a burden-sharing problem (JSON) for fair allocations", runBurden},
		"channels":    {"list the channels (EU institutions, PURL, the Czech ammunition initiative) with their contributors' shares and sources", runChannels},
		"countries":   {"list countries with GDP, population, defence spending and memberships", runCountries},
		"coverage":    {"need against support per category and month, with the gap", runCoverage},
		"datasets":    {"list the published datasets loaded (Kiel, ECB, World Bank, NATO): release, as-of date, records", runDatasets},
		"deliveries":  {"list a pledge's deliveries; add, edit or delete one (checked against the pledge, audited)", runDeliveries},
		"donors":      {"who gives what: support per donor in EUR and as a share of GDP", runDonors},
		"engagements": {"list engagements; edit or delete one (audited)", runEngagements},
		"equipment":   {"equipment pledged and delivered: units of each system per donor and capability category (Kiel's heavy weapons)", runEquipment},
		"export":      {"export pledges, deliveries, donors or engagements as CSV, XLSX or JSON", runExport},
		"force":       {"force generation for a reassurance force: per line, units offered, conditional and unfilled; --without-condition for the scenario", runForce},
		"gen":         {"generate synthetic pledges and deliveries (marked SYNTHETIC) for scale tests", runGen},
		"import":      {"import Kiel CSV/XLSX, IATI XML, OCHA FTS JSON or Coalition CSV files (all or nothing)", runImport},
		"ingest":      {"read texts and print proposed engagements and pledges", runIngest},
		"migrate":     {"apply database migrations", runMigrate},
		"needs":       {"list a coalition's requirements (the need coverage measures against) with their sources", runNeeds},
		"pledges":     {"a pledge's stage history (announced, committed, allocated, delivered); record a stage", runPledges},
		"proposals":   {"list the review queue of proposals from ingested texts; accept or reject one", runProposals},
		"prospects":   {"rank countries outside a coalition for recruitment, with their ask", runProspects},
		"risk":        {"simulate political risk: probability and size of a shortfall", runRisk},
		"scenario":    {"what if a member withdraws: the new gap and who fills it, fairly", runScenario},
		"seed":        {"load the bundled reference data (idempotent)", runSeed},
		"serve":       {"serve the API and the dashboard", runServe},
		"targets":     {"members against NATO 2% and the Hague 3.5%/5% targets", runTargets},
		"token":       {"create, list and revoke API tokens", runToken},
		"update":      {"fetch the newest Kiel, ECB and World Bank releases, check them, show the diff and load them", runUpdate},
		"user":        {"add, list and disable accounts", runUser},
		"version":     {"print the version", runVersion},

		"risk-events": {"list the stored risk events (elections and other political risks) with their assumptions", runRiskEvents},
		"backup":      {"write a consistent online backup with a checksum (SQLite or PostgreSQL)", runBackup},
		"restore":     {"restore a backup into an empty database, verifying checksum and schema version", runRestore},
		"healthcheck": {"ask a running server whether it is ready (for container HEALTHCHECKs)", runHealthcheck},

		"capability-gap": {"what is lost per capability category if members withdraw (e.g. --withdraw USA), who else makes it and how much a year, and the gap after one year", runCapabilityGap},
		// more subcommands: one line each, in alphabetical order
	}
}

// run is the whole program: main only supplies the world.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	e := &env{getenv: getenv, stdin: stdin, stdout: stdout, stderr: stderr}
	cmds := commands()
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		printHelp(stderr, cmds)
		if len(args) == 0 {
			return usagef("no subcommand given")
		}
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		return usagef("unknown subcommand %q (run 'coalition help' for the list)", args[0])
	}
	// Every command acts as the local operator, who sees every record
	// (token create acts as the token's owner).
	err := c.run(coalition.WithUser(ctx, coalition.System), e, args[1:])
	if errors.Is(err, flag.ErrHelp) {
		return nil
	}
	return withHelpHint(args[0], err)
}

// withHelpHint ends a usage mistake that does not yet say where to read the
// flags with "(run 'coalition NAME -h')", so that every command keeps the
// README's promise (issue 21) without each message repeating it.
func withHelpHint(name string, err error) error {
	var ue *usageError
	if !errors.As(err, &ue) || strings.Contains(err.Error(), "run 'coalition ") || strings.Contains(err.Error(), "\n") {
		return err
	}
	return &usageError{msg: err.Error() + " (" + helpHint(name) + ")"}
}

func printHelp(w io.Writer, cmds map[string]command) {
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	b.WriteString("usage: coalition <subcommand> [flags] [args]\n\nsubcommands:\n")
	for _, n := range names {
		fmt.Fprintf(&b, "  %-12s %s\n", n, cmds[n].summary)
	}
	b.WriteString("\nRun 'coalition <subcommand> -h' for its flags and an example.\n")
	io.WriteString(w, b.String())
}
