package vn.ndx.registry.web;

import java.time.Clock;
import java.time.ZoneId;

import jakarta.validation.ClockProvider;
import org.springframework.boot.validation.autoconfigure.ValidationConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The days the registry checks (an assessment made on or before today) are Vietnamese calendar days, whatever
 * zone the JVM runs in: from midnight to 07:00 in Hanoi, today in UTC is still yesterday, and an assessment
 * recorded in the morning would be refused as made in the future.
 */
@Configuration(proxyBeanMethods = false)
public class VietnameseDays {

    private static final ZoneId ZONE = ZoneId.of("Asia/Ho_Chi_Minh");

    @Bean
    ValidationConfigurationCustomizer vietnameseValidationClock() {
        return configuration -> configuration.clockProvider(clockProvider(Clock.systemUTC()));
    }

    /** What {@code @PastOrPresent} and its kind compare with: {@code clock}'s instant, in Vietnam. */
    public static ClockProvider clockProvider(Clock clock) {
        return () -> clock.withZone(ZONE);
    }
}
