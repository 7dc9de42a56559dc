package io.luo4j.cli;

import io.luo4j.bench.Bench;
import io.luo4j.bench.BenchReport;
import io.luo4j.bench.Profile;
import io.luo4j.bench.SuiteResult;
import io.luo4j.bench.report.JsonReport;
import io.luo4j.bench.report.MarkdownReport;
import io.luo4j.bench.report.StatePlot;
import io.luo4j.bench.report.TextReport;
import io.luo4j.bench.state.StateSizeResult;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code luoctl bench [--quick|--full] [--json] [--markdown FILE] [--plot FILE] [--suites LIST]}:
 * measures luo4j against its baselines and reports; exit 0 unless a functional error (a lost key, a
 * rolled-back upgrade, a failed request under luo4j) happened. Targets not met are reported, not
 * failed.
 */
@Command(name = "bench", description = {"Measure luo4j against its baselines: blackout under load, state size, descriptor count,"
        + " core throughput (JMH), memory overhead.", "Exit 0 unless a functional error happened; slow figures are reported, not failed."})
final class BenchCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true)
    private Size size = new Size();

    static final class Size {
        @Option(names = "--quick", description = "3 repeats, state up to 4 GiB, short JMH runs: a few minutes on 2 cores (the default).")
        boolean quick;

        @Option(names = "--full", description = "5 repeats, state up to 8 GiB, longer JMH runs.")
        boolean full;
    }

    @Option(names = "--json", description = "Print the figures as one JSON document (progress goes to standard error).")
    private boolean json;

    @Option(names = "--markdown", paramLabel = "FILE", description = "Also write the report as Markdown, e.g. docs/benchmarks.md.")
    private Path markdown;

    @Option(names = "--plot", paramLabel = "FILE",
            description = "Where to write the state-size plot (PNG); default: benchmarks-state-size.png beside the Markdown file.")
    private Path plot;

    @Option(names = "--suites", split = ",", paramLabel = "SUITE", converter = Suite.class,
            description = "Run only these, of: blackout, state, fds, core, memory (default: all).")
    private List<String> suites = Bench.SUITES;

    /** A suite's name: an unknown one is a usage error, not a failure once the benchmarks run. */
    static final class Suite implements ITypeConverter<String> {
        @Override
        public String convert(String name) {
            if (!Bench.SUITES.contains(name)) {
                throw new TypeConversionException("unknown suite '" + name + "': choose from " + String.join(", ", Bench.SUITES));
            }
            return name;
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter progressOut = json ? spec.commandLine().getErr() : out;
        Profile profile = size.full ? Profile.FULL : Profile.QUICK;
        Set<String> selected = new LinkedHashSet<>(suites);
        String command = "bin/luoctl " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        BenchReport report = Bench.run(profile, selected, command, line -> {
            progressOut.println("bench: " + line);
            progressOut.flush();
        });
        if (json) {
            out.println(JsonReport.json(report));
        } else {
            TextReport.lines(report).forEach(out::println);
        }
        if (markdown != null) {
            String plotReference = writePlot(report);
            Files.writeString(markdown, MarkdownReport.markdown(report, plotReference));
            progressOut.println("bench: wrote " + markdown + (plotReference == null ? "" : " and " + plotPath()));
        }
        out.flush();
        progressOut.flush();
        return report.functionalErrors().isEmpty() ? 0 : 1;
    }

    private Path plotPath() {
        if (plot != null) {
            return plot;
        }
        Path directory = markdown.toAbsolutePath().getParent();
        return directory.resolve("benchmarks-state-size.png");
    }

    /** Writes the plot when the state suite ran; its path relative to the Markdown file, or null. */
    private String writePlot(BenchReport report) throws java.io.IOException {
        for (SuiteResult suite : report.suites()) {
            if (suite instanceof StateSizeResult state && StatePlot.write(state, plotPath())) {
                return markdown.toAbsolutePath().getParent().relativize(plotPath().toAbsolutePath()).toString();
            }
        }
        return null;
    }
}
