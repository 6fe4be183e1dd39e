package dev.faultline.spark;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.regex.Pattern;
import org.apache.spark.api.java.function.FlatMapGroupsWithStateFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.streaming.GroupState;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The per-key transform of the records query: one key's input rows of a micro-batch, in offset order. A row whose
 * value is an id bumps the key's count (Spark's state store, checkpointed) and becomes an output row
 * `<id>:<keyCount>`; any other row becomes a dead letter with provenance headers. Input rows are
 * (key, value, topic, partition, offset, headers); output rows are (topic, key, value, headers), the headers a Scala
 * Seq (what Spark's row encoder takes for an array).
 */
final class RecordsFunction implements FlatMapGroupsWithStateFunction<String, Row, Row, Row> {
    static final String HEADER_PREFIX = "faultline.";
    private static final Pattern ID = Pattern.compile("[0-9]{1,18}");
    private final SparkParams params;
    private final String outputTopic;
    private final String dlqTopic;

    RecordsFunction(SparkParams params, String outputTopic, String dlqTopic) {
        this.params = params;
        this.outputTopic = outputTopic;
        this.dlqTopic = dlqTopic;
    }

    @Override
    public Iterator<Row> call(String key, Iterator<Row> values, GroupState<Row> state) throws InterruptedException {
        List<Row> rows = new ArrayList<>();
        values.forEachRemaining(rows::add);
        rows.sort(Comparator.<Row>comparingInt(r -> r.getInt(3)).thenComparingLong(r -> r.getLong(4)));
        long count = !state.exists() ? 0 : params.stateSchema() == 1 ? state.get().getLong(0) : Long.parseLong(state.get().getString(0));
        long lastId = -1;
        List<Row> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            String value = row.getString(1);
            if (key == null || value == null || !ID.matcher(value).matches()) {
                out.add(deadLetter(row, key == null ? "record has no key (the count is per key)"
                        : "value " + quote(value) + " is not a non-negative decimal id"));
                continue;
            }
            long id = Long.parseLong(value);
            if (params.delaysOn(id)) {
                Thread.sleep(params.delayMs());
            }
            if (params.failsOn(id)) {
                throw new IllegalStateException("injected logic error on id " + id + " (allowFail, messagesPerFail=" + params.messagesPerFail() + ")");
            }
            count++;
            lastId = id;
            out.add(RowFactory.create(outputTopic, key, id + ":" + count, CollectionConverters.asScala(keptHeaders(row))));
        }
        if (count > 0) {
            state.update(params.stateSchema() == 1 ? RowFactory.create(count) : RowFactory.create(Long.toString(count), lastId));
        }
        return out.iterator();
    }

    private Row deadLetter(Row row, String error) {
        List<Row> headers = keptHeaders(row);
        headers.add(header("faultline.source.topic", row.getString(2)));
        headers.add(header("faultline.source.partition", Integer.toString(row.getInt(3))));
        headers.add(header("faultline.source.offset", Long.toString(row.getLong(4))));
        headers.add(header("faultline.error", error));
        return RowFactory.create(dlqTopic, row.getString(0), row.getString(1), CollectionConverters.asScala(headers));
    }

    /** The input's own headers, minus faultline.* ones (a dead letter's provenance is ours to write). */
    private static List<Row> keptHeaders(Row row) {
        List<Row> kept = new ArrayList<>();
        if (!row.isNullAt(5)) {
            for (Row header : row.<Row>getList(5)) {
                if (!header.getString(0).startsWith(HEADER_PREFIX)) {
                    kept.add(header);
                }
            }
        }
        return kept;
    }

    private static Row header(String name, String value) {
        return RowFactory.create(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String value) {
        return "'" + (value.length() <= 64 ? value : value.substring(0, 64) + "...") + "'";
    }
}
