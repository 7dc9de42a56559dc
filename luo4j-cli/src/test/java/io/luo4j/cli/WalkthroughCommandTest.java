package io.luo4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class WalkthroughCommandTest {
    @Test
    void theWalkthroughVerifiesEveryLedgerAndExitsZero() {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new Luoctl());
        cli.setOut(new PrintWriter(out));
        int code = cli.execute("walkthrough", "--ledgers", "4", "--entries", "50");
        assertEquals(0, code, out::toString);
        String text = out.toString();
        assertTrue(text.contains("upgrade 1 failed as injected (EAGAIN)"), text);
        assertTrue(text.contains("walkthrough: upgrades=1 rollbacks=1 sessions=2 ledgers_verified=4/4 generation=1"), text);
    }
}
