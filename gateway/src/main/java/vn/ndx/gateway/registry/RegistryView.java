package vn.ndx.gateway.registry;

import io.micrometer.core.instrument.MeterRegistry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.jspecify.annotations.Nullable;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.annotation.PartitionOffset;
import org.springframework.kafka.annotation.TopicPartition;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;
import vn.ndx.contract.RegistrySnapshot;
import vn.ndx.contract.RegistrySnapshotReader;
import vn.ndx.contract.Topics;
import vn.ndx.web.registry.RegistryTrustProperties;
import vn.ndx.web.registry.SignedRegistryView;

/**
 * The registry as replicated to this gateway over Kafka ({@link SignedRegistryView}), indexed for the
 * checks of every call: a registry outage stops no traffic.
 */
@Component("registryView")
public class RegistryView extends SignedRegistryView<RegistryIndex> {

    RegistryView(JsonMapper json, MeterRegistry meters, RegistryTrustProperties trust) {
        super("gateway", json, meters, trust);
    }

    @Override
    protected RegistryIndex view(RegistrySnapshot snapshot, RegistrySnapshotReader.Rejections rejections) {
        return new RegistryIndex(snapshot, rejections);
    }

    /** The newest snapshot; null only before the first arrived, when the gateway reports itself down. */
    public @Nullable RegistryIndex current() {
        return view();
    }

    @KafkaListener(id = "gateway-registry-view", groupId = "ndx-gateway-registry-view",
            topicPartitions = @TopicPartition(topic = Topics.REGISTRY,
                    partitionOffsets = @PartitionOffset(partition = "0", initialOffset = "0")))
    void onSnapshot(ConsumerRecord<String, byte @Nullable []> record) {
        apply(record.value(), name -> {
            Header header = record.headers().lastHeader(name);
            return header == null ? null : header.value();
        }, record.offset());
    }
}
