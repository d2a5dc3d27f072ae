package vn.ndx.exchange;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;
import vn.ndx.web.reactive.EnableGatewayProof;

@SpringBootApplication
@EnableScheduling
@EnableGatewayProof
@ConfigurationPropertiesScan
public class ExchangeApplication {

    public static void main(String[] args) {
        SpringApplication.run(ExchangeApplication.class, args);
    }
}
