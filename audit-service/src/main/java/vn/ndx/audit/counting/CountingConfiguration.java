package vn.ndx.audit.counting;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.util.backoff.FixedBackOff;

@Configuration(proxyBeanMethods = false)
class CountingConfiguration {

    /**
     * A batch that fails to commit (database busy, a concurrent instance counting the same id) is retried
     * from its first offset, without end: skipping a batch would lose counts, and retrying cannot double them.
     */
    @Bean
    DefaultErrorHandler countingErrorHandler() {
        return new DefaultErrorHandler(new FixedBackOff(1_000, FixedBackOff.UNLIMITED_ATTEMPTS));
    }
}
