package vn.ndx.audit.counting;

import java.nio.ByteBuffer;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Deserializer;
import org.jspecify.annotations.Nullable;
import vn.ndx.contract.Topics;

/**
 * Values for audit: the event JSON of the transactions topic, and nothing of the records topic, whose
 * values are agencies' payloads (their event rides in a header). Payload bytes are never copied out of
 * the fetch buffer, let alone stored.
 */
public class EventOnlyDeserializer implements Deserializer<byte @Nullable []> {

    @Override
    public byte @Nullable [] deserialize(String topic, byte @Nullable [] data) {
        return Topics.RECORDS.equals(topic) ? null : data;
    }

    @Override
    public byte @Nullable [] deserialize(String topic, Headers headers, @Nullable ByteBuffer data) {
        if (Topics.RECORDS.equals(topic) || data == null) {
            return null;
        }
        byte[] bytes = new byte[data.remaining()];
        data.duplicate().get(bytes);
        return bytes;
    }
}
