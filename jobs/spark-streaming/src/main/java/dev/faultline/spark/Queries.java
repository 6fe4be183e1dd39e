package dev.faultline.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.unix_millis;
import static org.apache.spark.sql.functions.window;

import java.util.List;
import java.util.concurrent.TimeoutException;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.api.java.function.VoidFunction2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.GroupStateTimeout;
import org.apache.spark.sql.streaming.OutputMode;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.Trigger;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The job's two streaming queries over the input topic. `records`: per-key counts and dead letters (RecordsFunction)
 * to the output and DLQ topics. `windows` (when windowMs > 0): per key and tumbling event-time window, the count of
 * good records, emitted once when the watermark passes the window's end, as `<startMs>:<endMs>:<count>`. Under
 * at-least-once both write with Spark's Kafka sink; under exactly-once with a TransactionalSink keyed by batch id.
 * Each query checkpoints to `<FAULTLINE_STATE_DIR>/checkpoint/<query>`.
 */
final class Queries {
    static final String RECORDS = "records";
    static final String WINDOWS = "windows";
    /** The local property Spark sets on a query's thread: the query id it keeps in the checkpoint. */
    private static final String QUERY_ID_PROPERTY = "sql.streaming.queryId";

    private static final StructType HEADER = new StructType().add("key", DataTypes.StringType).add("value", DataTypes.BinaryType);
    private static final StructType OUT = new StructType()
            .add("topic", DataTypes.StringType).add("key", DataTypes.StringType).add("value", DataTypes.StringType)
            .add("headers", DataTypes.createArrayType(HEADER));
    private static final StructType STATE_V1 = new StructType().add("count", DataTypes.LongType);
    /** Version 2 keeps the count as decimal text (a type change: incompatible with version 1's checkpointed state). */
    private static final StructType STATE_V2 = new StructType().add("count", DataTypes.StringType).add("lastId", DataTypes.LongType);

    private Queries() {
    }

    static Dataset<Row> input(SparkSession spark, SparkJobConfig config) {
        var reader = spark.readStream().format("kafka")
                .option("kafka.bootstrap.servers", config.bootstrap())
                .option("subscribe", config.inputTopic())
                .option("startingOffsets", "earliest")
                .option("includeHeaders", "true")
                .option("kafka.request.timeout.ms", "10000")
                .option("kafka.default.api.timeout.ms", "30000");
        if (config.params().maxOffsetsPerTrigger() > 0) {
            reader = reader.option("maxOffsetsPerTrigger", config.params().maxOffsetsPerTrigger());
        }
        return reader.load().select(col("key").cast("string").as("key"), col("value").cast("string").as("value"),
                col("topic"), col("partition"), col("offset"), col("headers"), col("timestamp"));
    }

    static StreamingQuery records(Dataset<Row> input, SparkJobConfig config, List<AutoCloseable> closeables) throws TimeoutException {
        StructType state = config.params().stateSchema() == 1 ? STATE_V1 : STATE_V2;
        Dataset<Row> out = input.drop("timestamp")
                .groupByKey((MapFunction<Row, String>) row -> row.getString(0), Encoders.STRING())
                .flatMapGroupsWithState(new RecordsFunction(config.params(), config.outputTopic(), config.dlqTopic()),
                        OutputMode.Append(), Encoders.row(state), Encoders.row(OUT), GroupStateTimeout.NoTimeout());
        return start(out.writeStream().outputMode(OutputMode.Append()), RECORDS, config,
                List.of(config.outputTopic(), config.dlqTopic()), closeables);
    }

    static StreamingQuery windows(Dataset<Row> input, SparkJobConfig config, List<AutoCloseable> closeables) throws TimeoutException {
        long windowMs = config.params().windowMs();
        Dataset<Row> counts = input.filter(col("key").isNotNull().and(col("value").rlike("^[0-9]{1,18}$")))
                .withWatermark("timestamp", config.params().latenessMs() + " milliseconds")
                .groupBy(col("key"), window(col("timestamp"), windowMs + " milliseconds"))
                .count();
        Dataset<Row> out = counts.select(lit(config.windowTopic()).as("topic"), col("key"),
                concat_ws(":", unix_millis(col("window.start")), unix_millis(col("window.end")), col("count")).as("value"));
        return start(out.writeStream().outputMode(OutputMode.Append()), WINDOWS, config, List.of(config.windowTopic()), closeables);
    }

    private static StreamingQuery start(DataStreamWriter<Row> writer, String name, SparkJobConfig config, List<String> topics,
            List<AutoCloseable> closeables) throws TimeoutException {
        DataStreamWriter<Row> named = writer.queryName(name)
                .option("checkpointLocation", config.stateDir() + "/checkpoint/" + name)
                .trigger(Trigger.ProcessingTime(config.params().triggerMs()));
        if (!config.exactlyOnce()) {
            return named.format("kafka").option("kafka.bootstrap.servers", config.bootstrap())
                    .option("kafka.acks", "all").option("kafka.request.timeout.ms", "10000").start();
        }
        TransactionalSink sink = new TransactionalSink(config.bootstrap(), config.appId() + "-" + name, topics);
        closeables.add(sink);
        return named.foreachBatch((VoidFunction2<Dataset<Row>, Long>) (batch, batchId) ->
                sink.write(batch.sparkSession().sparkContext().getLocalProperty(QUERY_ID_PROPERTY), batchId, batch.collectAsList())).start();
    }
}
