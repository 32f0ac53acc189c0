package dev.clusterconnect.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner's verdicts on issue 7's targets come from the figures in the table, not from constants. */
class BenchTargetsTest {

    @Test
    void eachTargetIsJudgedFromItsRow() {
        BenchTable table = new BenchTable();
        table.compare("small GET c16 req/s", 30000, 2100, "%.0f");
        table.compare("100 MB LIST s (median of 3)", 0.34, 0.36, "%.2f");
        table.note("relay-app peak RSS growth MiB", "3 (200 -> 203)");
        table.note("proxy-app peak RSS growth MiB", "70 (200 -> 270)");
        table.compare("LIST alone (direct column) vs beside a stalled watch, both chained, s", 0.72, 0.63, "%.2f");
        table.compare("10,000 watches event p99 ms", 5.32, 10.11, "%.2f");

        BenchTargets.judge(table);

        assertThat(verdict(table, "small GET c16 req/s chain/direct")).startsWith("MISSED");
        assertThat(verdict(table, "100 MB LIST chain/direct")).startsWith("met");
        assertThat(verdict(table, "largest RSS growth of an app during the LIST, MiB"))
                .startsWith("MISSED");
        assertThat(verdict(table, "LIST beside a stalled watch / alone")).startsWith("met");
        assertThat(verdict(table, "10,000 watches event p99 ms")).startsWith("met");
        assertThat(row(table, "10,000 idle agents: relay heap MiB")[2]).startsWith("not measured");
    }

    private static String verdict(BenchTable table, String measure) {
        return row(table, measure)[3];
    }

    private static String[] row(BenchTable table, String measure) {
        List<String[]> rows = table.rows();
        // the verdict is the last row of that name (the measured row comes first)
        String[] found = null;
        for (String[] row : rows) {
            if (row[0].equals(measure)) {
                found = row;
            }
        }
        assertThat(found).as(measure).isNotNull();
        return found;
    }
}
