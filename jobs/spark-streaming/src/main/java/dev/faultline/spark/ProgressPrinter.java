package dev.faultline.spark;

import java.time.Instant;
import org.apache.spark.sql.streaming.StateOperatorProgress;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * One line per completed micro-batch on standard output, for faultline's journal and recovery times:
 * `FAULTLINE-PROGRESS query=<name> batch=<id> rows=<input rows> watermarkMs=<ms or -> lateDropped=<rows>
 * durationMs=<ms>`; a query that stops on an error prints `FAULTLINE-STATE ERROR` and the reason.
 */
final class ProgressPrinter extends StreamingQueryListener {
    @Override
    public void onQueryStarted(QueryStartedEvent event) {
        Main.println("FAULTLINE-QUERY started name=" + event.name() + " id=" + event.id());
    }

    @Override
    public void onQueryProgress(QueryProgressEvent event) {
        StreamingQueryProgress progress = event.progress();
        String watermark = progress.eventTime().get("watermark");
        long dropped = 0;
        for (StateOperatorProgress operator : progress.stateOperators()) {
            dropped += operator.numRowsDroppedByWatermark();
        }
        Long durationMs = progress.durationMs().get("triggerExecution");
        Main.println("FAULTLINE-PROGRESS query=" + progress.name() + " batch=" + progress.batchId() + " rows="
                + progress.numInputRows() + " watermarkMs=" + (watermark == null ? "-" : Long.toString(Instant.parse(watermark).toEpochMilli()))
                + " lateDropped=" + dropped + " durationMs=" + (durationMs == null ? "-" : durationMs.toString()));
    }

    @Override
    public void onQueryTerminated(QueryTerminatedEvent event) {
        if (event.exception().isDefined()) {
            Main.println("FAULTLINE-STATE ERROR");
            Main.println("FAULTLINE-QUERY failed id=" + event.id() + " error=" + Main.firstLine(event.exception().get()));
        }
    }
}
