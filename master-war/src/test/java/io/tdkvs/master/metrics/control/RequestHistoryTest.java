package io.tdkvs.master.metrics.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class RequestHistoryTest {

    @Test
    void eachIntervalCountsItsOwnRequestsAndBytes() {
        RequestHistory history = new RequestHistory();
        for (int i = 0; i < 99; i++) {
            history.request("get", 200, 1_000_000);
        }
        history.request("get", 200, 80_000_000);
        history.request("put", 201, 5_000_000);
        history.request("get", 404, 300_000);
        history.valueIn(1024);
        history.valueOut(4096);
        history.closeInterval(1_000);
        history.request("delete", 204, 2_000_000);
        history.closeInterval(6_000);

        List<RequestHistory.Sample> samples = history.history().samples();
        assertEquals(2, samples.size());
        RequestHistory.Sample first = samples.get(0);
        assertEquals(1_000, first.endedMillis());
        assertEquals(1024, first.bytesIn());
        assertEquals(4096, first.bytesOut());
        assertEquals(List.of("get 200", "get 404", "put 201"), first.requests().stream().map(r -> r.operation() + " " + r.status()).toList());
        RequestHistory.Requests gets = first.requests().get(0);
        assertEquals(100, gets.count());
        assertTrue(gets.p50Millis() >= 1.0 && gets.p50Millis() < 1.26, "p50 " + gets.p50Millis());
        assertTrue(gets.p99Millis() >= 1.0 && gets.p99Millis() < 1.26, "p99 " + gets.p99Millis());
        RequestHistory.Sample second = samples.get(1);
        assertEquals(0, second.bytesIn());
        assertEquals(List.of("delete"), second.requests().stream().map(RequestHistory.Requests::operation).toList());
    }

    @Test
    void keepsFifteenMinutes() {
        RequestHistory history = new RequestHistory();
        for (int i = 0; i < RequestHistory.KEPT + 10; i++) {
            history.request("get", 200, 1_000);
            history.closeInterval(i);
        }
        List<RequestHistory.Sample> samples = history.history().samples();
        assertEquals(15 * 60 / RequestHistory.PERIOD_SECONDS, samples.size());
        assertEquals(10, samples.get(0).endedMillis(), "the oldest dropped first");
    }
}
